package dev.conductor.cli.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.operations.WaitOption;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "update",
    mixinStandardHelpOptions = true,
    description = {
      "Move a READY tenant to another plan: preview the changes, then provision with the new plan."
          + " Its apps and workers keep running meanwhile."
    })
public final class UpdateTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Option(names = "--plan", required = true, paramLabel = "PLAN", description = "The new plan.")
  String plan;

  @Override
  public Integer call() {
    JsonNode answer =
        connection
            .client()
            .patch(TenantPaths.tenant(name), Json.MAPPER.createObjectNode().put("plan", plan));
    // The server answers with the tenant itself, not an operation, when it is already on the plan.
    if (Json.text(answer, "targetPlan") == null) {
      if (connection.json()) {
        connection.out().println(Json.pretty(answer));
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
        answer,
        "Updating tenant '" + name + "' to plan '" + plan + "'",
        "; retry with: conductor tenants retry " + name);
    return ExitCodes.OK;
  }
}
