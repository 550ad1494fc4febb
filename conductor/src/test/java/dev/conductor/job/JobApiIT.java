package dev.conductor.job;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Authentication and bad input on every job endpoint: a clear 4xx, and nothing created. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobApiIT {
  private RunningConductor conductor;
  private String apiKey;

  @BeforeAll
  void start() {
    // A small payload limit, so that 413 is cheap to provoke.
    conductor = RunningConductor.start(Map.of("conductor.plans.dev.max-payload-bytes", 64));
    apiKey = conductor.onboard("jobapi", "dev");
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void theJobApiNeedsAValidTenantKey() {
    assertProblem(
        conductor.send(HttpRequest.newBuilder(conductor.url().resolve("/v1/jobs")).GET()), 401);
    assertProblem(conductor.send(conductor.tenant("ck_wrong", "/v1/jobs").GET()), 401);
    // The operator token is not a tenant key.
    assertProblem(conductor.send(conductor.tenant(conductor.adminToken(), "/v1/jobs").GET()), 401);
    assertProblem(post("{\"type\":\"echo\"}", "ck_wrong"), 401);
    assertThat(count()).isZero();
  }

  @Test
  void aRotatedKeyStopsWorkingAndADeletedTenantIsForbidden() {
    String oldKey = conductor.onboard("rotated", "dev");
    String newKey =
        Json.parse(conductor.postJson("/v1/tenants/rotated/api-keys", "").body())
            .get("apiKey")
            .asText();
    assertProblem(conductor.send(conductor.tenant(oldKey, "/v1/jobs").GET()), 401);
    assertThat(conductor.send(conductor.tenant(newKey, "/v1/jobs").GET()).statusCode())
        .isEqualTo(200);
    conductor.delete("/v1/tenants/rotated");
    RunningConductor.await(
        () -> Json.parse(conductor.get("/v1/tenants/rotated").body()).path("status").asText(),
        "DELETED"::equals,
        java.time.Duration.ofSeconds(60));
    assertProblem(conductor.send(conductor.tenant(newKey, "/v1/jobs").GET()), 403);
  }

  @Test
  void aSuspendedTenantIsForbiddenUntilResumed() {
    String key = conductor.onboard("dozing", "dev");
    assertThat(conductor.postJson("/v1/tenants/dozing/suspend", "").statusCode()).isEqualTo(200);
    assertThat(Json.parse(conductor.get("/v1/tenants/dozing").body()).get("status").asText())
        .isEqualTo("SUSPENDED");
    assertProblem(conductor.send(conductor.tenant(key, "/v1/jobs").GET()), 403);
    // Suspending twice is harmless.
    assertThat(conductor.postJson("/v1/tenants/dozing/suspend", "").statusCode()).isEqualTo(200);
    assertThat(conductor.postJson("/v1/tenants/dozing/resume", "").statusCode()).isEqualTo(200);
    assertThat(conductor.send(conductor.tenant(key, "/v1/jobs").GET()).statusCode()).isEqualTo(200);
    assertProblem(conductor.postJson("/v1/tenants/nobody/suspend", ""), 404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"type\":\"\"}",
        "{\"type\":\"launch-missiles\"}",
        "{\"type\":\"echo\",\"affinityKey\":\"has space\"}",
        "{\"type\":\"echo\",\"affinityKey\":\"\"}",
        "{\"type\":\"echo\",\"idempotencyKey\":\"\"}",
        "{\"type\":\"echo\",\"location\":\"\"}",
        "{\"type\":\"echo\",\"location\":\"eu west\"}",
        "{\"type\":\"echo\",\"location\":\"eu\"}"
      })
  void invalidSubmissionsAre422AndCreateNothing(String body) {
    assertProblem(post(body, apiKey), 422);
    assertThat(count()).isZero();
  }

  @Test
  void brokenConstraintsAreNamedInTheDetailAllAtOnce() {
    assertThat(detail(post("{}", apiKey), 422)).isEqualTo("job type is required");
    assertThat(detail(post("{\"type\":\"echo\",\"idempotencyKey\":\" \"}", apiKey), 422))
        .isEqualTo("idempotencyKey must be 1 to 200 characters");
    assertThat(detail(post("{\"type\":\"\",\"affinityKey\":\"has space\"}", apiKey), 422))
        .isEqualTo(
            "affinityKey must be 1 to 128 characters of letters, digits and ._:@/+=-;"
                + " job type is required");
    assertThat(detail(conductor.patchJson("/v1/tenants/jobapi", "{}"), 422))
        .isEqualTo("plan is required: {\"plan\": \"<name>\"}");
    assertThat(count()).isZero();
  }

  @Test
  void aLocationTheTenantsRuntimeDoesNotServeIsNamedInThe422() {
    assertThat(
            detail(
                post("{\"type\":\"echo\",\"location\":\"eu\",\"idempotencyKey\":\"k\"}", apiKey),
                422))
        .isEqualTo("location 'eu' is not served here: runtime 'process' serves no locations");
    assertThat(detail(post("{\"type\":\"echo\",\"location\":\"eu west\"}", apiKey), 422))
        .isEqualTo("location must be 1 to 128 characters of letters, digits and ._:@/+=-");
    assertThat(count()).isZero();
  }

  private static String detail(HttpResponse<String> response, int status) {
    return assertProblem(response, status).get("detail").asText();
  }

  @Test
  void malformedOversizedAndMistypedBodiesAreRefused() {
    assertProblem(post("{\"type\":", apiKey), 400);
    assertProblem(post("{\"type\":\"echo\",\"payload\":\"" + "x".repeat(100) + "\"}", apiKey), 413);
    assertProblem(
        conductor.send(
            conductor
                .tenant(apiKey, "/v1/jobs")
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("echo"))),
        415);
    assertThat(count()).isZero();
  }

  @Test
  void badQueriesAndUnknownJobsAreClearErrors() {
    assertProblem(get("/v1/jobs?limit=0"), 422);
    assertProblem(get("/v1/jobs?limit=abc"), 422);
    assertProblem(get("/v1/jobs?status=DONE"), 422);
    assertProblem(get("/v1/jobs?cursor=not-a-cursor"), 422);
    assertProblem(get("/v1/jobs/not-a-uuid"), 404);
    assertProblem(get("/v1/jobs/00000000-0000-0000-0000-000000000000"), 404);
    assertProblem(get("/v1/jobs/00000000-0000-0000-0000-000000000000?wait=soon"), 400);
    assertProblem(
        conductor.send(
            conductor.tenant(apiKey, "/v1/jobs/00000000-0000-0000-0000-000000000000").DELETE()),
        404);
  }

  private HttpResponse<String> post(String body, String key) {
    return conductor.send(
        conductor
            .tenant(key, "/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpResponse<String> get(String path) {
    return conductor.send(conductor.tenant(apiKey, path).GET());
  }

  private int count() {
    HttpResponse<String> list = get("/v1/jobs");
    assertThat(list.statusCode()).isEqualTo(200);
    return Json.parse(list.body()).get("items").size();
  }
}
