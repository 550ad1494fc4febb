package dev.conductor.tenant;

import static dev.conductor.testing.Problems.assertProblem;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The operator tenant API against a real conductor on the embedded default. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantApiIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(Map.of());
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void onboardingCreatesResourcesAndOffboardingRemovesThem() {
    HttpResponse<String> created =
        conductor.postJson("/v1/tenants", "{\"name\":\"acme\",\"plan\":\"dev\"}");
    assertThat(created.statusCode()).isEqualTo(202);
    JsonNode body = Json.parse(created.body());
    assertThat(body.get("name").asText()).isEqualTo("acme");
    assertThat(body.get("plan").asText()).isEqualTo("dev");
    assertThat(body.get("status").asText()).isEqualTo("PROVISIONING");
    assertThat(body.get("apiKey").asText()).startsWith("ck_").hasSizeGreaterThan(40);
    String operationId = body.get("operationId").asText();

    JsonNode ready = awaitStatus("acme", "READY");
    JsonNode resources = ready.get("resources");
    assertThat(resources.get("database").get("database").asText()).isEqualTo("tenant_acme");
    assertThat(resources.get("database").get("role").asText()).isEqualTo("tenant_acme_owner");
    assertThat(resources.get("queue").get("jobTopic").asText()).isEqualTo("tenant.acme.jobs");
    assertThat(resources.get("app").get("credentialId").asText()).startsWith("cred_");
    assertThat(resources.get("container").get("capacity").asText()).isEqualTo("2");
    assertThat(ready.toString()).doesNotContainIgnoringCase("password");
    assertThat(ready.toString()).doesNotContain(body.get("apiKey").asText());
    assertThat(conductor.databaseCount("tenant_acme")).isEqualTo(1);

    JsonNode operation = Json.parse(conductor.get("/v1/operations/" + operationId).body());
    assertThat(operation.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(operation.get("kind").asText()).isEqualTo("PROVISION");
    assertThat(operation.get("tenant").asText()).isEqualTo("acme");
    assertThat(operation.get("events").size()).isGreaterThan(3);

    HttpResponse<String> deleted = conductor.delete("/v1/tenants/acme");
    assertThat(deleted.statusCode()).isEqualTo(202);
    assertThat(Json.parse(deleted.body()).get("status").asText()).isEqualTo("DELETING");
    JsonNode gone = awaitStatus("acme", "DELETED");
    assertThat(gone.get("resources").size()).isZero();
    assertThat(conductor.databaseCount("tenant_acme")).isZero();
    assertThat(listedNames()).doesNotContain("acme");

    // A deleted tenant frees its name.
    assertThat(conductor.postJson("/v1/tenants", "{\"name\":\"acme\"}").statusCode())
        .isEqualTo(202);
    awaitStatus("acme", "READY");
  }

  @Test
  void planDefaultsToStandardAndListShowsLiveTenants() {
    HttpResponse<String> created = conductor.postJson("/v1/tenants", "{\"name\":\"plain-co\"}");
    assertThat(created.statusCode()).isEqualTo(202);
    assertThat(Json.parse(created.body()).get("plan").asText()).isEqualTo("standard");
    awaitStatus("plain-co", "READY");
    assertThat(listedNames()).contains("plain-co");
  }

  @Test
  void duplicateNameIsAConflictAndCreatesNothing() {
    assertThat(conductor.postJson("/v1/tenants", "{\"name\":\"twice\"}").statusCode())
        .isEqualTo(202);
    HttpResponse<String> again = conductor.postJson("/v1/tenants", "{\"name\":\"twice\"}");
    assertProblem(again, 409);
    assertThat(listedNames().stream().filter("twice"::equals)).hasSize(1);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "Acme",
        "ab",
        "abcdefghijklmnopqrstuvwxyz12345",
        "postgres",
        "conductor",
        "a'; drop table tenants;--",
        "t\u00ebnant",
        "1abc",
        "ab--cd",
        "abc-",
        "abc_def",
        ""
      })
  void invalidNamesAreRejectedAndCreateNothing(String name) {
    int before = listedNames().size();
    String json = "{\"name\":" + quote(name) + "}";
    assertProblem(conductor.postJson("/v1/tenants", json), 422);
    assertThat(listedNames()).hasSize(before);
  }

  @Test
  void missingNameUnknownPlanAndMalformedBodiesAreRejected() {
    int before = listedNames().size();
    assertProblem(conductor.postJson("/v1/tenants", "{}"), 422);
    HttpResponse<String> unknownPlan =
        conductor.postJson("/v1/tenants", "{\"name\":\"planless\",\"plan\":\"gold\"}");
    assertProblem(unknownPlan, 422);
    assertThat(Json.parse(unknownPlan.body()).get("detail").asText()).contains("gold", "dev");
    assertProblem(conductor.postJson("/v1/tenants", "{\"name\":"), 400);
    assertProblem(conductor.postJson("/v1/tenants", "[1,2]"), 400);
    assertProblem(
        conductor.send(
            conductor
                .admin("/v1/tenants")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("name=x"))),
        415);
    String huge = "{\"name\":\"big\",\"plan\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    assertProblem(conductor.postJson("/v1/tenants", huge), 413);
    assertThat(listedNames()).hasSize(before);
  }

  @Test
  void operatorEndpointsNeedTheAdminToken() {
    HttpResponse<String> missing =
        conductor.send(HttpRequest.newBuilder(conductor.url().resolve("/v1/tenants")).GET());
    assertProblem(missing, 401);
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
    HttpResponse<String> wrong =
        conductor.send(
            HttpRequest.newBuilder(conductor.url().resolve("/v1/tenants"))
                .header("Authorization", "Bearer not-the-token")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"sneaky\"}"))
                .header("Content-Type", "application/json"));
    assertProblem(wrong, 401);
    assertThat(listedNames()).doesNotContain("sneaky");
    assertProblem(
        conductor.send(
            HttpRequest.newBuilder(conductor.url().resolve("/v1/operations/x"))
                .header("Authorization", "Basic YWRtaW46YWRtaW4=")
                .GET()),
        401);
  }

  @Test
  void unknownTenantsAndOperationsAreNotFound() {
    assertProblem(conductor.get("/v1/tenants/nobody"), 404);
    assertProblem(conductor.delete("/v1/tenants/nobody"), 404);
    assertProblem(conductor.postJson("/v1/tenants/nobody/retry", ""), 404);
    assertProblem(conductor.postJson("/v1/tenants/nobody/api-keys", ""), 404);
    assertProblem(conductor.get("/v1/operations/not-a-uuid"), 404);
    assertProblem(conductor.get("/v1/operations/00000000-0000-0000-0000-000000000000"), 404);
    assertProblem(conductor.get("/v1/nothing-here"), 404);
  }

  @Test
  void rotatingTheKeyIssuesANewCredential() {
    String firstKey =
        Json.parse(conductor.postJson("/v1/tenants", "{\"name\":\"rotor\"}").body())
            .get("apiKey")
            .asText();
    JsonNode before = awaitStatus("rotor", "READY");
    HttpResponse<String> rotated = conductor.postJson("/v1/tenants/rotor/api-keys", "");
    assertThat(rotated.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(rotated.body());
    assertThat(body.get("apiKey").asText()).startsWith("ck_").isNotEqualTo(firstKey);
    JsonNode after = Json.parse(conductor.get("/v1/tenants/rotor").body());
    String credential = after.get("resources").get("app").get("credentialId").asText();
    assertThat(credential)
        .isEqualTo(body.get("credentialId").asText())
        .isNotEqualTo(before.get("resources").get("app").get("credentialId").asText());
  }

  @Test
  void retryIsOnlyForFailedTenants() {
    conductor.postJson("/v1/tenants", "{\"name\":\"steady\"}");
    awaitStatus("steady", "READY");
    assertProblem(conductor.postJson("/v1/tenants/steady/retry", ""), 409);
  }

  @Test
  void operationEventsStreamUntilTheOperationEnds() {
    String operationId =
        Json.parse(conductor.postJson("/v1/tenants", "{\"name\":\"streamer\"}").body())
            .get("operationId")
            .asText();
    HttpResponse<String> stream =
        conductor.send(
            conductor
                .admin("/v1/operations/" + operationId + "/events")
                .header("Accept", "text/event-stream")
                .GET());
    assertThat(stream.statusCode()).isEqualTo(200);
    assertThat(stream.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/event-stream");
    assertThat(stream.body()).contains("event: progress", "onboarding tenant streamer");
    assertThat(stream.body().trim()).contains("event: end").endsWith("\"status\":\"SUCCEEDED\"}");
  }

  @Test
  void healthReportsDatabaseAndBus() {
    HttpResponse<String> health =
        conductor.send(HttpRequest.newBuilder(conductor.url().resolve("/health")).GET());
    assertThat(health.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(health.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    // Details are for the operator only (dev.conductor.api.RequestEdgeIT covers the anonymous
    // view).
    JsonNode details = Json.parse(conductor.get("/health").body()).get("details");
    assertThat(details.get("bus").get("status").asText()).isEqualTo("UP");
    assertThat(details.get("db").get("status").asText()).isEqualTo("UP");
  }

  private JsonNode awaitStatus(String name, String status) {
    return await(
        () -> Json.parse(conductor.get("/v1/tenants/" + name).body()),
        tenant -> status.equals(tenant.path("status").asText()),
        LIMIT);
  }

  private java.util.List<String> listedNames() {
    HttpResponse<String> list = conductor.get("/v1/tenants");
    assertThat(list.statusCode()).isEqualTo(200);
    java.util.List<String> names = new java.util.ArrayList<>();
    Json.parse(list.body()).forEach(tenant -> names.add(tenant.get("name").asText()));
    return names;
  }

  private static String quote(String value) {
    return new com.fasterxml.jackson.databind.node.TextNode(value).toString();
  }
}
