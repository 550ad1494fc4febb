package dev.conductor.cli.tenants;

import dev.conductor.api.v1.TenantPage;
import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.Age;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The table views of tenant JSON. */
public final class TenantFormat {

  private TenantFormat() {}

  /**
   * @param now what UPDATED's ages count from
   */
  public static String list(List<TenantView> tenants, Instant now) {
    if (tenants.isEmpty()) {
      return "No tenants yet. Onboard one with: conductor tenants create NAME\n";
    }
    Table table = new Table("NAME", "PLAN", "STATUS", "UPDATED");
    for (TenantView tenant : tenants) {
      table.row(
          Json.display(tenant.name()),
          Json.display(tenant.plan()),
          Json.display(tenant.status()),
          Age.ago(tenant.updatedAt(), now));
    }
    return table.render();
  }

  /**
   * One page of tenants, and the command for the next page if there is one.
   *
   * @param moreArgs the filter and limit flags the next page repeats
   */
  public static String list(TenantPage page, String moreArgs, Instant now) {
    if (page.items() == null || page.items().isEmpty()) {
      return "No tenants found.\n";
    }
    String next = page.nextCursor();
    return list(page.items(), now)
        + (next == null ? "" : "\nMore: conductor tenants list --cursor " + next + moreArgs + "\n");
  }

  public static String detail(TenantView tenant) {
    Table summary =
        new Table()
            .row("Name:", Json.display(tenant.name()))
            .row("Plan:", Json.display(tenant.plan()))
            .row("Status:", Json.display(tenant.status()))
            .row("Created:", Json.display(tenant.createdAt()))
            .row("Updated:", Json.display(tenant.updatedAt()))
            .row("Operation:", Json.display(tenant.operationId()));
    if (tenant.error() != null) {
      summary.row("Error:", tenant.error());
    }
    Table resources = new Table("RESOURCE", "KEY", "VALUE");
    int values = 0;
    Map<String, Map<String, String>> byKind =
        tenant.resources() == null ? Map.of() : tenant.resources();
    for (Map.Entry<String, Map<String, String>> kind : byKind.entrySet()) {
      for (Map.Entry<String, String> field : kind.getValue().entrySet()) {
        resources.row(kind.getKey(), field.getKey(), field.getValue());
        values++;
      }
    }
    if (values > 0) {
      return summary.render() + "\n" + resources.render();
    }
    boolean deleted = "DELETED".equals(tenant.status());
    return summary.render()
        + "\n"
        + (deleted ? "Resources: none (deleted)\n" : "Resources: none yet\n");
  }
}
