package dev.conductor.cli.tenants;

import dev.conductor.api.client.TenantFilter;
import dev.conductor.api.v1.TenantPage;
import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.PageOptions;
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
    description = {
      "List all tenants, by name.",
      "With --limit, --cursor or a filter: one page of them at a time."
    })
public final class ListTenantsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      description =
          "Only this status: PROVISIONING, READY, UPDATING, SUSPENDED, DELETING or FAILED.")
  @Nullable
  String status;

  @Option(names = "--plan", paramLabel = "PLAN", description = "Only tenants on this plan.")
  @Nullable
  String plan;

  @Option(
      names = "--name-prefix",
      paramLabel = "PREFIX",
      description = "Only tenants whose name starts with PREFIX.")
  @Nullable
  String namePrefix;

  @Mixin PageOptions paging;

  @Mixin WatchOption watch;

  @Override
  public Integer call() {
    return watch.show(connection, "conductor tenants list", this::frame);
  }

  private String frame() {
    if (!paged()) {
      List<TenantView> tenants = connection.client().tenants();
      return connection.structured()
          ? connection.render(tenants)
          : TenantFormat.list(tenants, Instant.now());
    }
    TenantPage page =
        connection
            .client()
            .tenants(new TenantFilter(status, plan, namePrefix), paging.limit(), paging.cursor());
    return connection.structured()
        ? connection.render(page)
        : TenantFormat.list(page, filters(), Instant.now());
  }

  /** Any paging flag or filter asks for a page; none lists every tenant, as it always did. */
  private boolean paged() {
    return status != null
        || plan != null
        || namePrefix != null
        || paging.limit() != null
        || paging.cursor() != null;
  }

  /** The flags to repeat in the hint for the next page. */
  private String filters() {
    StringBuilder flags = new StringBuilder();
    flag(flags, "--status", status);
    flag(flags, "--plan", plan);
    flag(flags, "--name-prefix", namePrefix);
    return flags + paging.limitFlag();
  }

  private static void flag(StringBuilder flags, String name, @Nullable String value) {
    if (value != null) {
      flags.append(' ').append(name).append(' ').append(value);
    }
  }
}
