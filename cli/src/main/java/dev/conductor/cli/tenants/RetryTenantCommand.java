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
    description =
        "Re-run the operation that left a tenant FAILED (provision, update or delete), resuming"
            + " where it stopped.")
public final class RetryTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    StartedOperation accepted = connection.client().retryTenant(name);
    OperationStarted.follow(
        connection, wait, accepted, "Retrying the failed operation of tenant '" + name + "'");
    return ExitCodes.OK;
  }
}
