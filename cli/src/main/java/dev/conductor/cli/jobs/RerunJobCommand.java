package dev.conductor.cli.jobs;

import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.TenantConnectionOptions;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "As the operator: submit a FAILED job of a tenant again, as a new job with the same type,"
          + " payload, affinity key and location. The failed job stays as it ended."
    })
public final class RerunJobCommand implements Callable<Integer> {

  @Mixin TenantConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The FAILED job's id.")
  String id;

  @Option(
      names = "--tenant",
      required = true,
      paramLabel = "NAME",
      description = "The job's tenant.")
  String tenant;

  @Override
  public Integer call() {
    SubmittedJob rerun = connection.operatorClient().rerunJob(tenant, id);
    PrintWriter out = connection.out();
    out.print(
        connection.structured()
            ? connection.render(rerun)
            : "Job " + id + " re-run: " + JobFormat.brief(rerun.id(), rerun.status()) + ".\n");
    out.flush();
    return ExitCodes.OK;
  }
}
