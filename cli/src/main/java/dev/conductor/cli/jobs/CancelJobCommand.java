package dev.conductor.cli.jobs;

import dev.conductor.api.v1.JobView;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.TenantConnectionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Cancel a job that is still QUEUED; one already dispatched runs to its end.")
public final class CancelJobCommand implements Callable<Integer> {

  @Mixin TenantConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The job id.")
  String id;

  @Override
  public Integer call() {
    JobView job = connection.client().cancelJob(id);
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(job)
                : JobFormat.brief(job.id(), job.status()) + ".\n");
    connection.out().flush();
    return ExitCodes.OK;
  }
}
