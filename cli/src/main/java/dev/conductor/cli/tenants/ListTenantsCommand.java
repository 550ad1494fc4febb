package dev.conductor.cli.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "list", mixinStandardHelpOptions = true, description = "List all tenants.")
public final class ListTenantsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() {
    JsonNode tenants = connection.client().get(TenantPaths.TENANTS);
    connection
        .out()
        .print(connection.json() ? Json.pretty(tenants) + "\n" : TenantFormat.list(tenants));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
