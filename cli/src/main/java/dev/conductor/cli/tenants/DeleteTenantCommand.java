package dev.conductor.cli.tenants;

import dev.conductor.api.v1.StartedOperation;
import dev.conductor.cli.ConfirmOption;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.operations.WaitOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Offboard a tenant: stop its workers and destroy its resources.")
public final class DeleteTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;
  @Mixin ConfirmOption confirmation;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    confirmation.confirm(
        connection,
        "Delete tenant '"
            + name
            + "'? Its jobs are cancelled, its workers stopped, its database and queues destroyed.");
    StartedOperation accepted = connection.client().deleteTenant(name);
    OperationStarted.follow(connection, wait, accepted, "Deleting tenant '" + name + "'");
    return ExitCodes.OK;
  }
}
