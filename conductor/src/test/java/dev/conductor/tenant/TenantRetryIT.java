package dev.conductor.tenant;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A provisioning failure leaves the tenant FAILED with a readable reason; once the cause is fixed,
 * retry converges to READY. The cause here is real: the provisioner's admin role does not exist.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRetryIT {
  private static final String ADMIN_PASSWORD = "provisioner-password-for-tests";
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor =
        RunningConductor.start(
            Map.of(
                "conductor.provisioning.local.admin-user",
                "provisioner",
                "conductor.provisioning.local.admin-password",
                ADMIN_PASSWORD));
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void failedProvisioningReportsWhyAndRetrySucceedsOnceFixed() throws Exception {
    String operationId =
        Json.parse(conductor.postJson("/v1/tenants", "{\"name\":\"phoenix\"}").body())
            .get("operationId")
            .asText();
    JsonNode failed = awaitStatus("FAILED");
    assertThat(failed.get("error").asText()).contains("provisioner").doesNotContain(ADMIN_PASSWORD);
    JsonNode operation = Json.parse(conductor.get("/v1/operations/" + operationId).body());
    assertThat(operation.get("status").asText()).isEqualTo("FAILED");
    assertThat(operation.toString()).doesNotContain(ADMIN_PASSWORD);

    try (Connection connection = conductor.superuserConnection();
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE ROLE provisioner LOGIN SUPERUSER PASSWORD '" + ADMIN_PASSWORD + "'");
    }
    var retried = conductor.postJson("/v1/tenants/phoenix/retry", "");
    assertThat(retried.statusCode()).isEqualTo(202);
    assertThat(Json.parse(retried.body()).get("status").asText()).isEqualTo("PROVISIONING");
    JsonNode ready = awaitStatus("READY");
    assertThat(ready.has("error")).isFalse();
    assertThat(ready.get("resources").get("database").get("database").asText())
        .isEqualTo("tenant_phoenix");
  }

  private JsonNode awaitStatus(String status) {
    return await(
        () -> Json.parse(conductor.get("/v1/tenants/phoenix").body()),
        tenant -> status.equals(tenant.path("status").asText()),
        Duration.ofSeconds(60));
  }
}
