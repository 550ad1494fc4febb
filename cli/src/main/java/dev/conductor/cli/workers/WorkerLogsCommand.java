package dev.conductor.cli.workers;

import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import jakarta.annotation.Nullable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Print a worker's output (live or ended), on whichever runtime it runs.")
public final class WorkerLogsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The worker's GUID, from 'conductor workers list'.")
  String id;

  @Option(names = "--tail", paramLabel = "N", description = "Only its last N lines.")
  @Nullable
  Integer tail;

  @Override
  public Integer call() {
    // The log as it is: plain text whatever --output says.
    connection.out().print(connection.client().workerLogs(id, tail));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
