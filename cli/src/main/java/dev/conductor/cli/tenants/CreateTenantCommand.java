package dev.conductor.cli.tenants;

import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.operations.WaitOption;
import jakarta.annotation.Nullable;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Onboard a tenant: provision its database, queue, app and container.")
public final class CreateTenantCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "NAME", description = "The tenant's unique name.")
  String name;

  @Option(names = "--plan", paramLabel = "PLAN", description = "Plan (default: the server's).")
  @Nullable
  String plan;

  @Override
  public Integer call() {
    CreatedTenant created = connection.client().createTenant(new CreateTenantRequest(name, plan));
    String operationId = created.operationId();
    PrintWriter out = connection.out();
    if (connection.structured()) {
      out.print(connection.render(created));
    } else {
      out.printf(
          "Tenant '%s' (plan %s) is %s, operation %s.%n",
          Json.display(created.name()),
          Json.display(created.plan()),
          Json.display(created.status()),
          operationId);
      out.println();
      out.println("API key: " + Json.display(created.apiKey()));
      out.println("Store it now: it will not be shown again.");
      out.println();
      if (!wait.requested()) {
        out.println("Follow progress with: conductor operations show " + operationId + " --wait");
      }
    }
    out.flush();
    if (wait.requested()) {
      wait.await(connection, operationId, "; retry with: conductor tenants retry " + name);
    }
    return ExitCodes.OK;
  }
}
