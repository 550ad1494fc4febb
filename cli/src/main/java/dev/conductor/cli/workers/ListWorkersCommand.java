package dev.conductor.cli.workers;

import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    description = "List live workers (STARTING, READY, DRAINING), newest first.")
public final class ListWorkersCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant's workers.")
  @Nullable
  String tenant;

  @Option(
      names = "--all",
      description = "Include workers that ended (STOPPED, LOST), with the reason they stopped.")
  boolean all;

  @Override
  public Integer call() {
    List<WorkerView> workers = connection.client().workers(tenant, all);
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(workers)
                : WorkerFormat.list(workers, all, Instant.now()));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
