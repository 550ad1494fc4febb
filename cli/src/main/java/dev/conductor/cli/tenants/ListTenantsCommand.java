package dev.conductor.cli.tenants;

import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(mixinStandardHelpOptions = true, description = "List all tenants.")
public final class ListTenantsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() {
    List<TenantView> tenants = connection.client().tenants();
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(tenants)
                : TenantFormat.list(tenants, Instant.now()));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
