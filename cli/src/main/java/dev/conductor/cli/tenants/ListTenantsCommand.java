package dev.conductor.cli.tenants;

import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.WatchOption;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(mixinStandardHelpOptions = true, description = "List all tenants.")
public final class ListTenantsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WatchOption watch;

  @Override
  public Integer call() {
    return watch.show(connection, "conductor tenants list", this::frame);
  }

  private String frame() {
    List<TenantView> tenants = connection.client().tenants();
    return connection.structured()
        ? connection.render(tenants)
        : TenantFormat.list(tenants, Instant.now());
  }
}
