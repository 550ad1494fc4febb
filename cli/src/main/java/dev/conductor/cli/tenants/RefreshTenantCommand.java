package dev.conductor.cli.tenants;

import dev.conductor.api.v1.StartedOperation;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.operations.WaitOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Compare a READY tenant's resources with what provisioning made and report each difference"
          + " (drift) as a warning. Changes nothing: `tenants update` provisions again."
    })
public final class RefreshTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    StartedOperation accepted = connection.client().refreshTenant(name);
    OperationStarted.follow(connection, wait, accepted, "Refreshing tenant '" + name + "'");
    return ExitCodes.OK;
  }
}
