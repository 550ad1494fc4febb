package dev.conductor.job;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** A tenant's plan limits: submit rate, jobs not yet ended, and how long finished jobs are kept. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JobLimitsIT {
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    plan(properties, "limited");
    properties.put("conductor.plans.limited.submit-rate", 1);
    properties.put("conductor.plans.limited.submit-burst", 3);
    plan(properties, "capped");
    properties.put("conductor.plans.capped.max-queued-jobs", 3);
    plan(properties, "kept");
    properties.put("conductor.plans.kept.job-retention", "1h");
    properties.put("conductor.jobs.retention-interval", "300ms");
    properties.put("conductor.jobs.retention-batch", 2);
    properties.put("conductor.jobs.max-waits-per-tenant", 3);
    conductor = RunningConductor.start(properties);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void submittingFasterThanThePlansRateIs429WithRetryAfterAndStoresNothing() {
    String key = conductor.onboard("hasty", "limited");
    int accepted = 0;
    HttpResponse<String> refused = null;
    // The bucket holds 3 and refills 1 per second: 50 quick submissions cannot all pass.
    for (int i = 0; i < 50 && refused == null; i++) {
      HttpResponse<String> response =
          conductor.postJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
      if (response.statusCode() == 202) {
        accepted++;
      } else {
        refused = response;
      }
    }
    assertThat(refused).as("a submission refused for its rate").isNotNull();
    JsonNode problem = assertProblem(refused, 429);
    assertThat(problem.get("detail").asText()).contains("1 jobs/s");
    assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow()))
        .isBetween(1L, 2L);
    assertThat(accepted).isGreaterThanOrEqualTo(3);
    assertThat(jobsOf(key)).hasSize(accepted);
    conductor.offboard("hasty");
  }

  @Test
  void submittingBeyondThePlansQueuedJobsIs429WithRetryAfterAndStoresNothing() {
    String key = conductor.onboard("crowded", "capped");
    for (int i = 0; i < 3; i++) {
      conductor.submitJob(key, RunningConductor.LONG_JOB);
    }
    HttpResponse<String> refused = conductor.postJob(key, RunningConductor.LONG_JOB);
    JsonNode problem = assertProblem(refused, 429);
    assertThat(problem.get("detail").asText()).contains("3 jobs that have not ended");
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(jobsOf(key)).hasSize(3);
    conductor.offboard("crowded");
  }

  @Test
  void retentionDeletesOnlyJobsThatEndedLongerAgoThanTheirPlanKeepsThem() throws Exception {
    String keptKey = conductor.onboard("keeper", "kept");
    String devKey = conductor.onboard("devkeeper", "dev");
    UUID kept = conductor.tenantId("keeper");
    UUID dev = conductor.tenantId("devkeeper");
    List<UUID> expired = new ArrayList<>();
    UUID recent;
    UUID unfinished;
    UUID devEnded;
    // Rows as a worker would have left them, with the clock moved back; one transaction, so a
    // sweep sees all of them or none.
    try (Connection db = conductor.superuserConnection()) {
      db.setAutoCommit(false);
      for (int i = 0; i < 5; i++) {
        expired.add(insert(db, kept, "SUCCEEDED", "2 hours"));
      }
      expired.add(insert(db, kept, "FAILED", "3 hours"));
      expired.add(insert(db, kept, "CANCELLED", "1 day"));
      recent = insert(db, kept, "SUCCEEDED", "50 minutes");
      unfinished = insert(db, kept, "RUNNING", null);
      devEnded = insert(db, dev, "SUCCEEDED", "2 hours");
      db.commit();
    }
    RunningConductor.await(() -> existing(expired), List::isEmpty, Duration.ofSeconds(30));
    assertThat(existing(List.of(recent, unfinished, devEnded)))
        .containsExactlyInAnyOrder(recent, unfinished, devEnded);
    assertThat(jobsOf(keptKey)).hasSize(2);
    assertThat(jobsOf(devKey)).hasSize(1);
    try (Connection db = conductor.superuserConnection();
        PreparedStatement cleanup = db.prepareStatement("DELETE FROM jobs WHERE id = ?")) {
      cleanup.setObject(1, unfinished);
      cleanup.executeUpdate();
    }
  }

  @Test
  void longPollsBeyondTheCapAre429WithRetryAfter() throws Exception {
    String key = conductor.onboard("waiter", "capped");
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    var client = java.net.http.HttpClient.newHttpClient();
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      waiting.add(
          client.sendAsync(
              conductor.tenant(key, "/v1/jobs/" + id + "?wait=60s").GET().build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    JobWaits waits = conductor.server().context().getBean(JobWaits.class);
    UUID tenant = conductor.tenantId("waiter");
    RunningConductor.await(
        () -> waits.waiting(tenant), count -> count == 3, Duration.ofSeconds(30));
    HttpResponse<String> refused =
        conductor.send(conductor.tenant(key, "/v1/jobs/" + id + "?wait=1s").GET());
    JsonNode problem = assertProblem(refused, 429);
    assertThat(problem.get("detail").asText()).contains("3 requests waiting");
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    // Without wait the job is still readable.
    assertThat(conductor.send(conductor.tenant(key, "/v1/jobs/" + id).GET()).statusCode())
        .isEqualTo(200);
    conductor.offboard("waiter");
    waiting.forEach(response -> assertThat(response.join().statusCode()).isEqualTo(200));
  }

  private static void plan(Map<String, Object> properties, String name) {
    String prefix = "conductor.plans." + name + ".";
    properties.put(prefix + "worker-capacity", 4);
    properties.put(prefix + "max-workers-per-key", 1);
    properties.put(prefix + "max-workers-per-tenant", 1);
    properties.put(prefix + "idle-timeout", "3s");
    properties.put(prefix + "max-attempts", 1);
    properties.put(prefix + "job-timeout", "2m");
    properties.put(prefix + "max-payload-bytes", 1024);
  }

  private List<JsonNode> jobsOf(String key) {
    HttpResponse<String> listed = conductor.send(conductor.tenant(key, "/v1/jobs").GET());
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    Json.parse(listed.body()).get("items").forEach(items::add);
    return items;
  }

  /** A job row; {@code endedAgo} null leaves it unfinished (created a day ago). */
  private static UUID insert(Connection db, UUID tenant, String status, String endedAgo)
      throws Exception {
    UUID id = UUID.randomUUID();
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO jobs (id, tenant_id, type, payload, affinity_key, status, attempts,"
                + " max_attempts, timeout_ms, created_at, finished_at, updated_at)"
                + " VALUES (?, ?, 'echo', '{}', '', ?, 1, 1, 60000, now() - interval '1 day',"
                + " now() - CAST(? AS interval), now())")) {
      insert.setObject(1, id);
      insert.setObject(2, tenant);
      insert.setString(3, status);
      insert.setString(4, endedAgo);
      insert.executeUpdate();
    }
    return id;
  }

  private List<UUID> existing(List<UUID> ids) {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query = db.prepareStatement("SELECT id FROM jobs WHERE id = ANY (?)")) {
      query.setArray(1, db.createArrayOf("uuid", ids.toArray()));
      List<UUID> found = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          found.add(rows.getObject(1, UUID.class));
        }
      }
      return found;
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }
}
