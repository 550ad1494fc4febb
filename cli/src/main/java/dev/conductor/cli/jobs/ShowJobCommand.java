package dev.conductor.cli.jobs;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.TenantConnectionOptions;
import jakarta.annotation.Nullable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Show a job: status, worker, attempts, result or error.")
public final class ShowJobCommand implements Callable<Integer> {

  @Mixin TenantConnectionOptions connection;
  @Mixin JobWaitOption wait;

  @Parameters(paramLabel = "ID", description = "The job id, as printed by 'conductor jobs submit'.")
  String id;

  @Option(
      names = "--tenant",
      paramLabel = "NAME",
      description = "As the operator (operator token, not the tenant's key): a job of this tenant.")
  @Nullable
  String tenant;

  @Override
  public Integer call() {
    if (tenant != null) {
      if (wait.requested()) {
        throw connection.usageError("--wait follows a job with the tenant's key; drop --tenant");
      }
      JobWaitOption.print(connection, connection.operatorClient().tenantJob(tenant, id));
      return ExitCodes.OK;
    }
    ConductorClient client = connection.client();
    JobView job = client.job(id);
    if (!wait.requested()) {
      JobWaitOption.print(connection, job);
      return ExitCodes.OK;
    }
    boolean ended = JobStatus.isFinal(job.status());
    wait.follow(connection, client, id, job, ended ? null : JobFormat.progress(job));
    return ExitCodes.OK;
  }
}
