package dev.conductor.tenant;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Refresh reports drift without repairing it; an update moves a tenant to another plan, whose
 * limits the job API then enforces. Against a real conductor on the embedded default.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantRefreshAndUpdateIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  // Over the dev plan's max-payload-bytes (65536), under the standard plan's (262144).
  private static final String LARGE_JOB =
      "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(100_000) + "\"}";
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(FastTimers.properties());
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void refreshOfATenantInSyncReportsNoDrift() {
    conductor.onboard("tidy", "dev");

    HttpResponse<String> started = conductor.postJson("/v1/tenants/tidy/refresh", "");

    assertThat(started.statusCode()).isEqualTo(202);
    JsonNode body = Json.parse(started.body());
    assertThat(body.get("status").asText()).isEqualTo("READY");
    JsonNode operation = conductor.awaitOperationEnded(body.get("operationId").asText(), LIMIT);
    assertThat(operation.get("kind").asText()).isEqualTo("REFRESH");
    assertThat(operation.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(levels(operation)).doesNotContain("WARN", "ERROR");
    assertThat(messages(operation))
        .contains("database tenant_tidy: in sync", "topic tenant.tidy.jobs: in sync")
        .anyMatch(
            message ->
                message.startsWith("database tenant_tidy for apps at localhost:")
                    && message.endsWith(": in sync"))
        .anyMatch(message -> message.startsWith("in sync"));
    assertThat(conductor.tenant("tidy").get("status").asText()).isEqualTo("READY");
  }

  /** What a tenant's app would see: the stored host and port must still take its password. */
  @Test
  void refreshConnectsAsTheTenantsAppsDoAndReportsAStoredDatabaseThatNoLongerAnswers()
      throws SQLException {
    conductor.onboard("moved", "dev");
    assertThat(warnings(refresh("moved"))).isEmpty();
    try (Connection admin = conductor.superuserConnection();
        Statement statement = admin.createStatement()) {
      // As after a restart that moved the database to another port: nothing listens on port 1.
      statement.execute(
          "UPDATE tenant_resources SET identifiers = jsonb_set(identifiers, '{port}', '\"1\"')"
              + " WHERE kind = 'database'"
              + " AND tenant_id = (SELECT id FROM tenants WHERE name = 'moved')");
    }

    JsonNode refresh = refresh("moved");

    assertThat(refresh.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(warnings(refresh))
        .singleElement()
        .asString()
        .startsWith(
            "database tenant_moved for apps at localhost:1:"
                + " tenant_moved_owner cannot connect with the stored credentials:");
    assertThat(messages(refresh)).anyMatch(message -> message.startsWith("1 difference(s)"));
  }

  @Test
  void driftIsReportedNotRepairedAndAnUpdateRepairsIt() throws SQLException {
    conductor.onboard("drifty", "dev");
    try (Connection admin = conductor.superuserConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE tenant_drifty WITH (FORCE)");
    }

    JsonNode refresh = refresh("drifty");

    assertThat(refresh.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(warnings(refresh)).containsExactly("database tenant_drifty: missing");
    assertThat(messages(refresh)).anyMatch(message -> message.startsWith("1 difference(s)"));
    assertThat(conductor.tenant("drifty").get("status").asText()).isEqualTo("READY");
    assertThat(conductor.databaseCount("tenant_drifty")).isZero();

    HttpResponse<String> update =
        conductor.patchJson("/v1/tenants/drifty", "{\"plan\":\"standard\"}");
    assertThat(update.statusCode()).isEqualTo(202);
    assertThat(
            conductor
                .awaitOperationEnded(Json.parse(update.body()).get("operationId").asText(), LIMIT)
                .get("status")
                .asText())
        .isEqualTo("SUCCEEDED");

    assertThat(conductor.databaseCount("tenant_drifty")).isEqualTo(1);
    JsonNode again = refresh("drifty");
    assertThat(warnings(again)).isEmpty();
    assertThat(messages(again)).anyMatch(message -> message.startsWith("in sync"));
  }

  @Test
  void updateMovesTheTenantToTheNewPlanWhoseLimitsTheJobApiThenEnforces() {
    String apiKey = conductor.onboard("grower", "dev");
    assertProblem(conductor.postJob(apiKey, LARGE_JOB), 413);

    HttpResponse<String> update =
        conductor.patchJson("/v1/tenants/grower", "{\"plan\":\"standard\"}");

    assertThat(update.statusCode()).isEqualTo(202);
    JsonNode started = Json.parse(update.body());
    assertThat(started.get("status").asText()).isEqualTo("UPDATING");
    assertThat(started.get("targetPlan").asText()).isEqualTo("standard");
    JsonNode operation = conductor.awaitOperationEnded(started.get("operationId").asText(), LIMIT);
    assertThat(operation.get("kind").asText()).isEqualTo("UPDATE");
    assertThat(operation.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(operation.get("plan").asText()).isEqualTo("standard");
    assertThat(messages(operation))
        .anyMatch(m -> m.startsWith("plan dev → standard: ") && m.contains("65536 → 262144"))
        .contains("preview: no resource changes", "tenant grower is READY on plan standard");
    JsonNode tenant = conductor.tenant("grower");
    assertThat(tenant.get("status").asText()).isEqualTo("READY");
    assertThat(tenant.get("plan").asText()).isEqualTo("standard");
    assertThat(tenant.get("resources").get("container").get("capacity").asText()).isEqualTo("4");

    String jobId = conductor.submitJob(apiKey, LARGE_JOB);
    JsonNode job = conductor.awaitJobEnded(apiKey, jobId, LIMIT);
    assertThat(status(job)).as(job.toString()).isEqualTo("SUCCEEDED");
    assertThat(job.get("result").asText()).hasSize(100_000);
  }

  @Test
  void previewReportsWhatAnUpdateWouldChangeAndChangesNothing() throws SQLException {
    conductor.onboard("looker", "dev");
    try (Connection admin = conductor.superuserConnection();
        Statement statement = admin.createStatement()) {
      // Drift gives the preview a resource change to report.
      statement.execute("DROP DATABASE tenant_looker WITH (FORCE)");
    }

    HttpResponse<String> started =
        conductor.postJson("/v1/tenants/looker/preview", "{\"plan\":\"standard\"}");

    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    JsonNode body = Json.parse(started.body());
    assertThat(body.get("status").asText()).isEqualTo("READY");
    assertThat(body.get("targetPlan").asText()).isEqualTo("standard");
    JsonNode preview = conductor.awaitOperationEnded(body.get("operationId").asText(), LIMIT);
    assertThat(preview.get("kind").asText()).isEqualTo("PREVIEW");
    assertThat(preview.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(messages(preview))
        .anyMatch(m -> m.startsWith("plan dev → standard: ") && m.contains("65536 → 262144"))
        .anyMatch(m -> m.matches("preview: [1-9]\\d* resource change\\(s\\)"))
        .anyMatch(m -> m.startsWith("  ") && m.contains("tenant_looker"))
        .endsWith("preview only: nothing was changed");
    JsonNode tenant = conductor.tenant("looker");
    assertThat(tenant.get("status").asText()).isEqualTo("READY");
    assertThat(tenant.get("plan").asText()).isEqualTo("dev");
    assertThat(conductor.databaseCount("tenant_looker")).isZero();

    assertProblem(conductor.postJson("/v1/tenants/looker/preview", "{\"plan\":\"gold\"}"), 422);
    assertProblem(conductor.postJson("/v1/tenants/looker/preview", "{}"), 422);
    assertProblem(conductor.postJson("/v1/tenants/nobody/preview", "{\"plan\":\"dev\"}"), 404);
    conductor.postJson("/v1/tenants/looker/suspend", "");
    assertProblem(conductor.postJson("/v1/tenants/looker/preview", "{\"plan\":\"standard\"}"), 409);
    assertThat(conductor.tenant("looker").get("plan").asText()).isEqualTo("dev");
  }

  @Test
  void badUpdatesAndRefreshesAreRefusedAndChangeNothing() {
    conductor.onboard("picky", "dev");
    JsonNode before = conductor.tenant("picky");

    JsonNode unknown =
        assertProblem(conductor.patchJson("/v1/tenants/picky", "{\"plan\":\"gold\"}"), 422);
    assertThat(unknown.get("detail").asText()).contains("gold", "standard");
    assertProblem(conductor.patchJson("/v1/tenants/picky", "{}"), 422);
    assertProblem(conductor.patchJson("/v1/tenants/picky", "{\"plan\":"), 400);
    assertProblem(conductor.patchJson("/v1/tenants/nobody", "{\"plan\":\"dev\"}"), 404);
    assertProblem(conductor.postJson("/v1/tenants/nobody/refresh", ""), 404);
    assertThat(conductor.tenant("picky")).isEqualTo(before);

    HttpResponse<String> same = conductor.patchJson("/v1/tenants/picky", "{\"plan\":\"dev\"}");
    assertThat(same.statusCode()).isEqualTo(200);
    assertThat(Json.parse(same.body()).get("plan").asText()).isEqualTo("dev");
    assertThat(conductor.tenant("picky").get("operationId")).isEqualTo(before.get("operationId"));

    conductor.postJson("/v1/tenants/picky/suspend", "");
    assertProblem(conductor.patchJson("/v1/tenants/picky", "{\"plan\":\"standard\"}"), 409);
    assertProblem(conductor.postJson("/v1/tenants/picky/refresh", ""), 409);
    JsonNode suspended = conductor.tenant("picky");
    assertThat(suspended.get("plan").asText()).isEqualTo("dev");
    assertThat(suspended.get("operationId")).isEqualTo(before.get("operationId"));
  }

  private JsonNode refresh(String name) {
    HttpResponse<String> started = conductor.postJson("/v1/tenants/" + name + "/refresh", "");
    assertThat(started.statusCode()).as(started.body()).isEqualTo(202);
    return conductor.awaitOperationEnded(
        Json.parse(started.body()).get("operationId").asText(), LIMIT);
  }

  private static String status(JsonNode node) {
    return node.path("status").asText();
  }

  private static List<String> messages(JsonNode operation) {
    List<String> messages = new ArrayList<>();
    operation.get("events").forEach(event -> messages.add(event.get("message").asText()));
    return messages;
  }

  private static List<String> levels(JsonNode operation) {
    List<String> levels = new ArrayList<>();
    operation.get("events").forEach(event -> levels.add(event.get("level").asText()));
    return levels;
  }

  private static List<String> warnings(JsonNode operation) {
    List<String> warnings = new ArrayList<>();
    operation
        .get("events")
        .forEach(
            event -> {
              if ("WARN".equals(event.get("level").asText())) {
                warnings.add(event.get("message").asText());
              }
            });
    return warnings;
  }
}
