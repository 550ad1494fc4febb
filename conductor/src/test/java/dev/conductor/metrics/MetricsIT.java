package dev.conductor.metrics;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code GET /metrics} on a real conductor after a scenario: a tenant onboarded, N echo jobs and
 * one failing job run to their ends on its workers; a second tenant whose one worker is busy, so
 * jobs queue behind it. The numbers scraped are checked against what happened.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MetricsIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final int ECHOES = 5;
  private static final Pattern UUID_LIKE =
      Pattern.compile(
          "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
  private RunningConductor conductor;
  private String apiKey;
  private String heldKey;

  @BeforeAll
  void start() {
    Map<String, Object> properties = FastTimers.properties();
    // Every scrape reads the database gauges again.
    properties.put("conductor.metrics.gauge-refresh", "0s");
    // The metrics also on a port of their own (any free one), without the token.
    properties.put("conductor.metrics.port", 0);
    // One worker of one slot: a long job holds it, and later jobs wait in the queue.
    properties.put("conductor.plans.held.worker-capacity", 1);
    properties.put("conductor.plans.held.max-workers-per-key", 1);
    properties.put("conductor.plans.held.max-workers-per-tenant", 1);
    properties.put("conductor.plans.held.idle-timeout", "1m");
    properties.put("conductor.plans.held.max-attempts", 1);
    properties.put("conductor.plans.held.job-timeout", "1m");
    properties.put("conductor.plans.held.max-payload-bytes", 1024);
    conductor = RunningConductor.start(properties);

    apiKey = conductor.onboard("metered", "dev");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < ECHOES - 2; i++) {
      jobs.add(conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}"));
    }
    // Two more through the batch endpoint: counted the same way.
    HttpResponse<String> batch =
        conductor.send(
            conductor
                .tenant(apiKey, "/v1/jobs/batch")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"jobs\":[{\"type\":\"echo\",\"payload\":1},{\"type\":\"echo\","
                            + "\"payload\":2}]}")));
    assertThat(batch.statusCode()).as(batch.body()).isEqualTo(200);
    Json.parse(batch.body()).get("results").forEach(result -> jobs.add(result.get("id").asText()));
    assertThat(jobs).hasSize(ECHOES);
    jobs.add(conductor.submitJob(apiKey, "{\"type\":\"fail\",\"payload\":{}}"));
    // A replayed idempotency key is no new submission.
    String keyed = "{\"type\":\"echo\",\"payload\":0,\"idempotencyKey\":\"once\"}";
    String once = conductor.submitJob(apiKey, keyed);
    assertThat(conductor.submitJob(apiKey, keyed)).isEqualTo(once);
    jobs.add(once);
    for (String id : jobs) {
      conductor.awaitJobEnded(apiKey, id, LIMIT);
    }

    heldKey = conductor.onboard("held", "held");
    String running = conductor.submitJob(heldKey, RunningConductor.LONG_JOB);
    RunningConductor.await(
        () -> conductor.job(heldKey, running).path("status").asText(), "RUNNING"::equals, LIMIT);
    conductor.submitJob(heldKey, "{\"type\":\"echo\",\"payload\":1}");
    conductor.submitJob(heldKey, "{\"type\":\"echo\",\"payload\":2}");
  }

  @AfterAll
  void stop() {
    if (conductor != null) {
      conductor.offboard("held");
      conductor.close();
    }
  }

  @Test
  void jobsAreCountedByTenantTypeAndOutcome() {
    Scrape scrape = scrape();
    Map<String, String> metered = Map.of("tenant", "metered");

    // N echo jobs + 1 failing one (+1 keyed echo, submitted once although sent twice).
    assertThat(scrape.sum("conductor_jobs_submitted_total", metered)).isEqualTo(ECHOES + 2);
    assertThat(scrape.sum("conductor_jobs_submitted_total", with(metered, "type", "fail")))
        .isEqualTo(1);
    assertThat(scrape.sum("conductor_jobs_started_total", metered)).isEqualTo(ECHOES + 2);
    assertThat(
            scrape.sum(
                "conductor_jobs_finished_total",
                Map.of("tenant", "metered", "type", "echo", "outcome", "SUCCEEDED")))
        .isEqualTo(ECHOES + 1);
    assertThat(
            scrape.sum(
                "conductor_jobs_finished_total",
                Map.of("tenant", "metered", "type", "fail", "outcome", "FAILED")))
        .isEqualTo(1);
    // Every job's wait for its first start and its run, one observation each.
    assertThat(scrape.sum("conductor_jobs_queued_duration_seconds_count", metered))
        .isEqualTo(ECHOES + 2);
    assertThat(scrape.sum("conductor_jobs_run_duration_seconds_count", metered))
        .isEqualTo(ECHOES + 2);
    assertThat(scrape.has("conductor_jobs_queued_duration_seconds_bucket", metered)).isTrue();
  }

  @Test
  void queueDepthAndTheOldestQueuedJobComeFromTheDatabase() {
    Scrape scrape = scrape();

    assertThat(scrape.sum("conductor_jobs_queued", Map.of("tenant", "held"))).isEqualTo(2);
    assertThat(scrape.sum("conductor_jobs_queued_oldest_age_seconds", Map.of("tenant", "held")))
        .isPositive();
    assertThat(scrape.sum("conductor_jobs_queued", Map.of("tenant", "metered"))).isZero();
    assertThat(scrape.has("conductor_jobs_queued", Map.of("tenant", "metered"))).isTrue();
  }

  @Test
  void tenantsAreCountedByStatusAsTheListingShowsThem() {
    Scrape scrape = scrape();

    // The two tenants onboarded here, both READY: the console's overview counts from this.
    assertThat(scrape.sum("conductor_tenants", Map.of("status", "READY"))).isEqualTo(2);
    assertThat(scrape.sum("conductor_tenants", Map.of()))
        .isEqualTo(Json.parse(conductor.get("/v1/tenants").body()).size());
  }

  @Test
  void workersAreCountedAsTheFleetListsThem() {
    Scrape scrape = scrape();
    JsonNode all = Json.parse(conductor.get("/v1/workers?tenant=metered&all=true").body());

    assertThat(scrape.sum("conductor_workers_launched_total", Map.of("tenant", "metered")))
        .isEqualTo(all.size());
    assertThat(
            scrape.sum("conductor_workers_cold_start_seconds_count", Map.of("tenant", "metered")))
        .isEqualTo(all.size());
    // The held tenant's one worker runs its long job: READY, on the process runtime.
    Map<String, String> busy = Map.of("tenant", "held", "runtime", "process", "state", "READY");
    assertThat(scrape.sum("conductor_workers", busy)).isEqualTo(1);
  }

  @Test
  void operationsAreCountedByKindAndOutcome() {
    Scrape scrape = scrape();

    assertThat(
            scrape.sum(
                "conductor_operations_seconds_count",
                Map.of("kind", "PROVISION", "outcome", "SUCCEEDED")))
        .isEqualTo(2);
    assertThat(scrape.sum("conductor_operations_seconds_count", Map.of("outcome", "FAILED")))
        .isZero();
  }

  @Test
  void provisioningStepsAreTimedByResourceKind() {
    Scrape scrape = scrape();

    for (String step : List.of("database", "queue", "app", "container")) {
      assertThat(
              scrape.sum(
                  "conductor_provisioning_steps_seconds_count",
                  Map.of("step", step, "action", "create", "outcome", "ok")))
          .as(step)
          .isEqualTo(2);
    }
    assertThat(
            scrape.sum("conductor_provisioning_steps_seconds_count", Map.of("outcome", "failed")))
        .isZero();
  }

  @Test
  void workersReportsAreTimedFromSendToReceipt() {
    Scrape scrape = scrape();

    // Every job that succeeded was reported once at least (a redelivery would add to it).
    assertThat(
            scrape.sum(
                "conductor_bus_receive_latency_seconds_count", Map.of("message", "SUCCEEDED")))
        .isGreaterThanOrEqualTo(ECHOES + 1);
    assertThat(
            scrape.sum("conductor_bus_receive_latency_seconds_count", Map.of("message", "READY")))
        .isGreaterThanOrEqualTo(1);
    assertThat(scrape.has("conductor_bus_send_errors_total", Map.of())).isFalse();
  }

  @Test
  void sendsToWorkersAreTimedUntilTheBrokerStoredThem() {
    Scrape scrape = scrape();

    // Every job that ran was sent once at least: the metered tenant's and the held one's running.
    assertThat(scrape.sum("conductor_bus_send_seconds_count", Map.of("message", "job")))
        .isGreaterThanOrEqualTo(ECHOES + 3);
    assertThat(scrape.sum("conductor_bus_send_seconds_sum", Map.of("message", "job"))).isPositive();
    // The metered tenant's workers went idle: each armed its teardown.
    assertThat(scrape.sum("conductor_bus_send_seconds_count", Map.of("message", "teardown")))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void theDatabasePoolAndHttpRequestsAreMeasured() {
    Scrape scrape = scrape();

    assertThat(scrape.has("hikaricp_connections_active", Map.of())).isTrue();
    assertThat(scrape.has("http_server_requests_seconds_count", Map.of("uri", "/v1/jobs")))
        .isTrue();
  }

  @Test
  void noLabelIsAnIdSoCardinalityStaysBounded() {
    // An unknown path and a job id in a path must not become label values either.
    conductor.get("/nothing-here/" + java.util.UUID.randomUUID());
    conductor.send(conductor.tenant(apiKey, "/v1/jobs/" + java.util.UUID.randomUUID()).GET());
    Scrape scrape = scrape();

    assertThat(scrape.samples()).isNotEmpty();
    scrape
        .samples()
        .forEach(
            s ->
                s.labels()
                    .forEach(
                        (label, value) ->
                            assertThat(UUID_LIKE.matcher(value).find())
                                .as("%s{%s=\"%s\"}", s.name(), label, value)
                                .isFalse()));
  }

  @Test
  void metricsNeedTheOperatorToken() {
    HttpRequest.Builder anonymous =
        HttpRequest.newBuilder(conductor.url().resolve("/metrics")).GET();
    assertProblem(conductor.send(anonymous), 401);
    assertProblem(conductor.send(conductor.tenant(apiKey, "/metrics").GET()), 401);
    // Spellings the router may also take for /metrics are no way around the token.
    for (String path :
        List.of("/metrics/", "//metrics", "/metrics//", "/metrics;x", "/metrics/.")) {
      HttpResponse<String> answer =
          conductor.send(HttpRequest.newBuilder(URI.create(conductor.url() + path)).GET());
      assertThat(answer.statusCode()).as(path + ": " + answer.body()).isIn(400, 401, 404);
      assertThat(answer.body()).as(path).doesNotContain("conductor_jobs");
    }
  }

  @Test
  void theMetricsPortServesTheSameMetricsWithoutAToken() {
    URI port =
        URI.create(
            "http://127.0.0.1:"
                + conductor.server().context().getBean(MetricsPort.class).port()
                + "/metrics");
    HttpResponse<String> scraped = conductor.send(HttpRequest.newBuilder(port).GET());

    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(
            Scrape.parse(scraped.body())
                .sum("conductor_jobs_submitted_total", Map.of("tenant", "metered")))
        .isEqualTo(scrape().sum("conductor_jobs_submitted_total", Map.of("tenant", "metered")))
        .isPositive();
    assertThat(conductor.send(HttpRequest.newBuilder(port.resolve("/v1/tenants")).GET()))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(404);
    assertThat(
            conductor.send(HttpRequest.newBuilder(port).POST(HttpRequest.BodyPublishers.noBody())))
        .extracting(HttpResponse::statusCode)
        .isEqualTo(405);
  }

  private Scrape scrape() {
    HttpResponse<String> response = conductor.get("/metrics");
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    return Scrape.parse(response.body());
  }

  private static Map<String, String> with(Map<String, String> labels, String key, String value) {
    Map<String, String> more = new java.util.HashMap<>(labels);
    more.put(key, value);
    return more;
  }
}
