package dev.conductor.cli.tenants;

import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Show a tenant's status and provisioned resources.")
public final class ShowTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    TenantView tenant = connection.client().tenant(name);
    connection
        .out()
        .print(connection.structured() ? connection.render(tenant) : TenantFormat.detail(tenant));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
