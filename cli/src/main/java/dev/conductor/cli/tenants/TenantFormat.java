package dev.conductor.cli.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.util.Iterator;
import java.util.Map;

/** The table views of tenant JSON. */
public final class TenantFormat {

  private TenantFormat() {}

  public static String list(JsonNode tenants) {
    if (tenants.isEmpty()) {
      return "No tenants yet. Onboard one with: conductor tenants create NAME\n";
    }
    Table table = new Table("NAME", "PLAN", "STATUS", "UPDATED");
    for (JsonNode tenant : tenants) {
      table.row(
          Json.display(tenant, "name"),
          Json.display(tenant, "plan"),
          Json.display(tenant, "status"),
          Json.display(tenant, "updatedAt"));
    }
    return table.render();
  }

  public static String detail(JsonNode tenant) {
    Table summary =
        new Table()
            .row("Name:", Json.display(tenant, "name"))
            .row("Plan:", Json.display(tenant, "plan"))
            .row("Status:", Json.display(tenant, "status"))
            .row("Created:", Json.display(tenant, "createdAt"))
            .row("Updated:", Json.display(tenant, "updatedAt"))
            .row("Operation:", Json.display(tenant, "operationId"));
    if (Json.text(tenant, "error") != null) {
      summary.row("Error:", Json.text(tenant, "error"));
    }
    Table resources = new Table("RESOURCE", "KEY", "VALUE");
    int values = 0;
    for (Iterator<Map.Entry<String, JsonNode>> kinds = tenant.path("resources").fields();
        kinds.hasNext(); ) {
      Map.Entry<String, JsonNode> kind = kinds.next();
      for (Iterator<Map.Entry<String, JsonNode>> fields = kind.getValue().fields();
          fields.hasNext();
          values++) {
        Map.Entry<String, JsonNode> field = fields.next();
        resources.row(kind.getKey(), field.getKey(), field.getValue().asText());
      }
    }
    if (values > 0) {
      return summary.render() + "\n" + resources.render();
    }
    boolean deleted = "DELETED".equals(Json.text(tenant, "status"));
    return summary.render()
        + "\n"
        + (deleted ? "Resources: none (deleted)\n" : "Resources: none yet\n");
  }
}
