package dev.conductor.cli.tenants;

import dev.conductor.api.client.PlanUpdate;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.UpdateTenantRequest;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.operations.WaitOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Move a READY tenant to another plan: preview the changes, then provision with the new plan."
          + " Its apps and workers keep running meanwhile. With --dry-run, only show the preview."
    })
public final class UpdateTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "The new plan.")
  String plan;

  @Option(
      names = "--dry-run",
      description =
          "Show what the update would change (settings, each resource change, a refusal for data"
              + " loss) and change nothing; follows the preview until it ends.")
  boolean dryRun;

  @Override
  public Integer call() {
    if (dryRun) {
      StartedOperation preview =
          connection.client().previewTenantUpdate(name, new UpdateTenantRequest(plan));
      String operationId = preview.operationId();
      if (!connection.structured()) {
        connection
            .out()
            .println(
                "Previewing plan '"
                    + plan
                    + "' for tenant '"
                    + name
                    + "', operation "
                    + operationId
                    + ".");
        connection.out().flush();
      }
      wait.await(connection, operationId, "");
      if (connection.structured()) {
        connection.out().print(connection.render(connection.client().operation(operationId)));
        connection.out().flush();
      }
      return ExitCodes.OK;
    }
    PlanUpdate answer = connection.client().updateTenant(name, new UpdateTenantRequest(plan));
    // The server answers with the tenant itself, not an operation, when it is already on the plan.
    if (answer.started() == null) {
      if (connection.structured()) {
        connection.out().print(connection.render(answer.unchanged()));
      } else {
        connection
            .out()
            .printf("Tenant '%s' is already on plan '%s': nothing to change.%n", name, plan);
      }
      connection.out().flush();
      return ExitCodes.OK;
    }
    OperationStarted.follow(
        connection,
        wait,
        answer.started(),
        "Updating tenant '" + name + "' to plan '" + plan + "'",
        "; retry with: conductor tenants retry " + name);
    return ExitCodes.OK;
  }
}
