package dev.conductor.cli.tenants;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.cli.ConfirmOption;
import dev.conductor.cli.ConnectionOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Suspend a READY tenant: its apps are refused (403) until it is resumed.")
public final class SuspendTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin ConfirmOption confirmation;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    confirmation.confirm(
        connection,
        "Suspend tenant '" + name + "'? Its apps are refused (403) until it is resumed.");
    return TenantTransition.run(connection, name, ConductorClient::suspendTenant);
  }
}
