package dev.conductor.api;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.Json;
import dev.conductor.testing.PostgresFreeze;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The embedded PostgreSQL frozen (SIGSTOP of the postmaster and its backends): requests fail fast
 * with 503 and Retry-After, /health says DOWN, and everything recovers by itself once it thaws.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class DatabaseOutageIT {
  /** Far below the old 30 s hang: a request that takes longer fails the test. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  @Test
  void aFrozenDatabaseGives503AtOnceAndRecoversByItself() throws Exception {
    try (RunningConductor conductor = RunningConductor.start(Map.of())) {
      String apiKey = conductor.onboard("outage", "dev");
      try (PostgresFreeze frozen = PostgresFreeze.of(conductor.server().home())) {
        RunningConductor.await(
            () -> status(conductor, "/health"), "DOWN"::equals, Duration.ofSeconds(60));

        HttpResponse<String> tenants =
            conductor.send(conductor.admin("/v1/tenants/outage").timeout(PATIENCE).GET());
        assertThat(assertProblem(tenants, 503).get("detail").asText()).contains("database");
        assertThat(tenants.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> jobs =
            conductor.send(conductor.tenant(apiKey, "/v1/jobs").timeout(PATIENCE).GET());
        assertProblem(jobs, 503);
        assertThat(jobs.headers().firstValue("Retry-After")).isPresent();
        HttpResponse<String> submitted =
            conductor.send(
                conductor
                    .tenant(apiKey, "/v1/jobs")
                    .timeout(PATIENCE)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"echo\"}")));
        assertProblem(submitted, 503);
        assertThat(submitted.headers().firstValue("Retry-After")).isPresent();
        // The operator sees which part is down.
        assertThat(
                Json.parse(
                        conductor.send(conductor.admin("/health").timeout(PATIENCE).GET()).body())
                    .at("/details/db/status")
                    .asText())
            .isEqualTo("DOWN");
      }
      RunningConductor.await(
          () -> status(conductor, "/health"), "UP"::equals, Duration.ofSeconds(60));
      RunningConductor.await(
          () -> conductor.send(conductor.tenant(apiKey, "/v1/jobs").GET()).statusCode(),
          code -> code == 200,
          Duration.ofSeconds(60));
      conductor.submitJob(apiKey, "{\"type\":\"echo\"}");
    }
  }

  private static String status(RunningConductor conductor, String path) {
    HttpResponse<String> response =
        conductor.send(
            HttpRequest.newBuilder(conductor.url().resolve(path)).timeout(PATIENCE).GET());
    return Json.parse(response.body()).path("status").asText();
  }
}
