package dev.conductor.cli.tenants;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.util.function.BiFunction;

/** Suspend and resume: one POST to the tenant's action, then the tenant as it is now. */
final class TenantTransition {
  private TenantTransition() {}

  static int run(
      ConnectionOptions connection,
      String name,
      BiFunction<ConductorClient, String, TenantView> action) {
    TenantView tenant = action.apply(connection.client(), name);
    if (connection.structured()) {
      connection.out().print(connection.render(tenant));
    } else {
      connection
          .out()
          .printf(
              "Tenant '%s' is %s.%n", Json.display(tenant.name()), Json.display(tenant.status()));
    }
    connection.out().flush();
    return ExitCodes.OK;
  }
}
