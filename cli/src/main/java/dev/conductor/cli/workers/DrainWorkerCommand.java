package dev.conductor.cli.workers;

import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Stop a worker gracefully: no new jobs, stop once its in-flight jobs end.")
public final class DrainWorkerCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The worker's GUID, from 'conductor workers list'.")
  String id;

  @Override
  public Integer call() {
    WorkerView worker = connection.client().drainWorker(id);
    connection
        .out()
        .print(connection.structured() ? connection.render(worker) : WorkerFormat.drained(worker));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
