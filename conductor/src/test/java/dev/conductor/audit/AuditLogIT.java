package dev.conductor.audit;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The audit log records who did what to which tenant, refusals included, never a body, and reads
 * back newest first by filter and page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class AuditLogIT {
  private RunningConductor conductor;
  private String opsToken;
  private String readerToken;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(Map.of());
    opsToken = issue("ops", "operator");
    readerToken = issue("reader", "read-only");

    HttpResponse<String> created =
        send(opsToken, "POST", "/v1/tenants", "{\"name\":\"audited\",\"plan\":\"dev\"}");
    assertThat(created.statusCode()).isEqualTo(202);
    conductor.awaitOperationEnded(
        Json.parse(created.body()).get("operationId").asText(), Duration.ofMinutes(2));
    assertThat(send(opsToken, "POST", "/v1/tenants/audited/suspend", "{}").statusCode())
        .isEqualTo(200);
    assertProblem(send(opsToken, "POST", "/v1/admin/secrets-key/rotate", "{}"), 403);
    assertProblem(send(readerToken, "DELETE", "/v1/tenants/audited", null), 403);
    assertProblem(send(opsToken, "POST", "/v1/tenants/nobody/resume", "{}"), 404);
    // Not recorded: reads, and requests without an operator identity.
    assertThat(send(opsToken, "GET", "/v1/tenants/audited", null).statusCode()).isEqualTo(200);
    assertProblem(send("wrong-token", "POST", "/v1/tenants/audited/resume", "{}"), 401);
  }

  @AfterAll
  void stop() {
    if (conductor != null) {
      conductor.close();
    }
  }

  @Test
  void everyStateChangingOperatorRequestIsRecordedNewestFirst() {
    JsonNode items = audit("?limit=500").get("items");
    List<String> rows = new ArrayList<>();
    for (JsonNode event : items) {
      rows.add(
          event.get("actor").asText()
              + " "
              + event.get("role").asText()
              + " "
              + event.get("action").asText()
              + " "
              + event.path("tenant").asText("-")
              + " "
              + event.get("status").asInt());
    }
    assertThat(rows)
        .containsExactly(
            "ops operator tenant.resume nobody 404",
            "reader read-only tenant.delete audited 403",
            "ops operator secrets-key.rotate - 403",
            "ops operator tenant.suspend audited 200",
            "ops operator tenant.create audited 202",
            "admin admin operator.create - 201",
            "admin admin operator.create - 201");
    JsonNode suspend = items.get(3);
    assertThat(suspend.get("method").asText()).isEqualTo("POST");
    assertThat(suspend.get("path").asText()).isEqualTo("/v1/tenants/audited/suspend");
  }

  @Test
  void neverARequestOrResponseBody() {
    String body = conductor.get("/v1/admin/audit").body();
    assertThat(body).doesNotContain(opsToken).doesNotContain(readerToken).doesNotContain("plan");
  }

  @Test
  void filtersByTenantActorAndSince() {
    assertThat(audit("?tenant=audited").get("items").findValuesAsText("action"))
        .containsExactly("tenant.delete", "tenant.suspend", "tenant.create");
    assertThat(audit("?actor=reader").get("items").findValuesAsText("action"))
        .containsExactly("tenant.delete");
    assertThat(audit("?since=1h").get("items")).hasSize(7);
    assertThat(audit("?since=2999-01-01T00:00:00Z").get("items")).isEmpty();
  }

  @Test
  void pagesFollowTheCursorToTheEnd() {
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      JsonNode page = audit("?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
      paged.addAll(page.get("items").findValuesAsText("id"));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    } while (cursor != null);
    assertThat(paged).containsExactlyElementsOf(audit("").get("items").findValuesAsText("id"));

    assertProblem(conductor.get("/v1/admin/audit?limit=0"), 422);
    assertProblem(conductor.get("/v1/admin/audit?cursor=bogus"), 422);
    assertProblem(conductor.get("/v1/admin/audit?since=yesterday"), 422);
  }

  @Test
  void onlyAnAdminReadsTheAuditLog() {
    assertProblem(send(opsToken, "GET", "/v1/admin/audit", null), 403);
    assertProblem(send(readerToken, "GET", "/v1/admin/audit", null), 403);
  }

  private JsonNode audit(String query) {
    HttpResponse<String> answer = conductor.get("/v1/admin/audit" + query);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Json.parse(answer.body());
  }

  private String issue(String name, String role) {
    HttpResponse<String> created =
        conductor.postJson(
            "/v1/admin/operators", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return Json.parse(created.body()).get("token").asText();
  }

  private HttpResponse<String> send(String token, String method, String path, String json) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(conductor.url().resolve(path))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30));
    if (json == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(json));
    }
    return conductor.send(request);
  }
}
