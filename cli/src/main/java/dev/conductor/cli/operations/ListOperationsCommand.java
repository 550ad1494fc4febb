package dev.conductor.cli.operations;

import dev.conductor.api.client.OperationFilter;
import dev.conductor.api.v1.OperationPage;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.PageOptions;
import dev.conductor.cli.WatchOption;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    description = "List every tenant's operations, newest first, one page at a time.")
public final class ListOperationsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant's operations.")
  @Nullable
  String tenant;

  @Option(
      names = "--kind",
      paramLabel = "KIND",
      description = "Only this kind: PROVISION, DEPROVISION, UPDATE, REFRESH or PREVIEW.")
  @Nullable
  String kind;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description = "Only this status: QUEUED, RUNNING, SUCCEEDED, FAILED or CANCELLED.")
  @Nullable
  String status;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only operations created since TIME: an instant or an age such as 2h or 7d.")
  @Nullable
  String since;

  @Option(
      names = "--until",
      paramLabel = "TIME",
      description = "Only operations created before TIME: an instant or an age.")
  @Nullable
  String until;

  @Mixin PageOptions paging;

  @Mixin WatchOption watch;

  @Override
  public Integer call() {
    return watch.show(connection, "conductor operations list", this::frame);
  }

  private String frame() {
    OperationPage page =
        connection
            .client()
            .operations(
                new OperationFilter(tenant, kind, status, since, until),
                paging.limit(),
                paging.cursor());
    return connection.structured()
        ? connection.render(page)
        : OperationFormat.list(page, filters(), Instant.now());
  }

  /** The flags to repeat in the hint for the next page. */
  private String filters() {
    StringBuilder flags = new StringBuilder();
    flag(flags, "--tenant", tenant);
    flag(flags, "--kind", kind);
    flag(flags, "--status", status);
    flag(flags, "--since", since);
    flag(flags, "--until", until);
    return flags + paging.limitFlag();
  }

  private static void flag(StringBuilder flags, String name, @Nullable String value) {
    if (value != null) {
      flags.append(' ').append(name).append(' ').append(value);
    }
  }
}
