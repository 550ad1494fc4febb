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
    description =
        "Show a worker, live or ended: where it runs, its egress address, its state and load.")
public final class ShowWorkerCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The worker's GUID, from 'conductor workers list'.")
  String id;

  @Override
  public Integer call() {
    WorkerView worker = connection.client().worker(id);
    connection
        .out()
        .print(connection.structured() ? connection.render(worker) : WorkerFormat.detail(worker));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
