package dev.conductor.cli.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.TenantView;
import dev.conductor.cli.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TenantFormatTest {
  private static final Instant NOW = Instant.parse("2025-11-21T11:01:00Z");

  @Test
  void listAlignsNamePlanStatusUpdated() {
    String tenants =
        """
        [{"name":"acme","plan":"standard","status":"READY",
          "createdAt":"2025-11-21T10:00:00Z","updatedAt":"2025-11-21T10:01:30Z"},
         {"name":"globex-corporation","plan":"premium","status":"PROVISIONING",
          "createdAt":"2025-11-21T11:00:00Z","updatedAt":"2025-11-21T11:00:00Z"}]
        """;

    assertThat(TenantFormat.list(tenants(tenants), NOW))
        .isEqualTo(
            """
            NAME                PLAN      STATUS        UPDATED
            acme                standard  READY         59m ago
            globex-corporation  premium   PROVISIONING  1m ago
            """);
  }

  @Test
  void anEmptyListSaysHowToOnboard() {
    assertThat(TenantFormat.list(tenants("[]"), NOW)).contains("conductor tenants create NAME");
  }

  @Test
  void detailShowsAKeyValueBlockAndTheResources() {
    String tenant =
        """
        {"name":"acme","plan":"standard","status":"READY",
         "createdAt":"2025-11-21T10:00:00Z","updatedAt":"2025-11-21T10:01:30Z",
         "operationId":"op-1",
         "resources":{"database":{"name":"tenant_acme","host":"localhost"},
                      "queue":{"topic":"acme.jobs"},"app":{},"container":{"image":"worker:1"}}}
        """;

    assertThat(TenantFormat.detail(tenant(tenant)))
        .isEqualTo(
            """
            Name:       acme
            Plan:       standard
            Status:     READY
            Created:    2025-11-21T10:00:00Z
            Updated:    2025-11-21T10:01:30Z
            Operation:  op-1

            RESOURCE   KEY    VALUE
            database   name   tenant_acme
            database   host   localhost
            queue      topic  acme.jobs
            container  image  worker:1
            """);
  }

  @Test
  void detailShowsTheErrorAndThatNothingIsProvisionedYet() {
    String tenant =
        """
        {"name":"acme","plan":"standard","status":"FAILED","error":"database: role exists",
         "createdAt":"2025-11-21T10:00:00Z","updatedAt":"2025-11-21T10:01:30Z","resources":{}}
        """;

    assertThat(TenantFormat.detail(tenant(tenant)))
        .contains("Operation:  -\n")
        .contains("Error:      database: role exists\n")
        .endsWith("\nResources: none yet\n");
  }

  @Test
  void detailSaysADeletedTenantHasNoResourcesLeft() {
    String tenant =
        """
        {"name":"acme","plan":"standard","status":"DELETED",
         "createdAt":"2025-11-21T10:00:00Z","updatedAt":"2025-11-21T10:01:30Z","resources":{}}
        """;

    assertThat(TenantFormat.detail(tenant(tenant))).endsWith("\nResources: none (deleted)\n");
  }

  private static List<TenantView> tenants(String json) {
    return List.of(Json.read(json, TenantView[].class));
  }

  private static TenantView tenant(String json) {
    return Json.read(json, TenantView.class);
  }
}
