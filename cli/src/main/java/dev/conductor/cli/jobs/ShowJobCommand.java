package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.TenantConnectionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show a job: status, worker, attempts, result or error.")
public final class ShowJobCommand implements Callable<Integer> {

  @Mixin TenantConnectionOptions connection;
  @Mixin JobWaitOption wait;

  @Parameters(paramLabel = "ID", description = "The job id, as printed by 'conductor jobs submit'.")
  String id;

  @Override
  public Integer call() {
    ConductorClient client = connection.client();
    JsonNode job = client.get(JobPaths.job(id));
    if (wait.requested()) {
      if (!JobStatus.isFinal(Json.text(job, "status")) && !connection.json()) {
        connection.out().println(JobFormat.progress(job) + "; waiting for it to end.");
        connection.out().flush();
      }
      job = wait.await(connection, client, id, job);
    }
    JobWaitOption.print(connection, job);
    if (wait.requested()) {
      JobWaitOption.checkSucceeded(job);
    }
    return ExitCodes.OK;
  }
}
