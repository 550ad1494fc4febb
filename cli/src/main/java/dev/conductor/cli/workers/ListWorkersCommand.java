package dev.conductor.cli.workers;

import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.WatchOption;
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

  @Mixin WatchOption watch;

  @Override
  public Integer call() {
    return watch.show(connection, "conductor workers list", this::frame);
  }

  private String frame() {
    List<WorkerView> workers = connection.client().workers(tenant, all);
    return connection.structured()
        ? connection.render(workers)
        : WorkerFormat.list(workers, all, Instant.now());
  }
}
