package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The queued-jobs quota read from its counter (V16): concurrent submissions, single and in batches,
 * never pass it, and the counter follows the jobs through cancel, end, retention and offboarding.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class QueuedJobQuotaIT {
  private static final int QUOTA = 10;
  private static final String ECHO = "{\"type\":\"echo\",\"payload\":{\"n\":1}}";

  private RunningConductor conductor;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    String prefix = "conductor.plans.quota.";
    properties.put(prefix + "worker-capacity", 16);
    properties.put(prefix + "max-workers-per-key", 1);
    properties.put(prefix + "max-workers-per-tenant", 1);
    properties.put(prefix + "idle-timeout", "30s");
    properties.put(prefix + "max-attempts", 1);
    properties.put(prefix + "job-timeout", "2m");
    properties.put(prefix + "max-queued-jobs", QUOTA);
    properties.put(prefix + "max-payload-bytes", 1024);
    properties.put(prefix + "job-retention", "1s");
    properties.put("conductor.jobs.retention-interval", "300ms");
    conductor = RunningConductor.start(properties);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void concurrentSubmissionsNeverPassTheQuotaAndTheCountFollowsEveryEnd() throws Exception {
    String key = conductor.onboard("counted", "quota");
    UUID tenant = conductor.tenantId("counted");

    // 8 submitters at once, each 6 single jobs and a batch of 5: 88 offered for 10 places. The
    // jobs sleep, so none ends while they race.
    AtomicInteger accepted = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    ExecutorService submitters = Executors.newFixedThreadPool(8);
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Void>> runs = new ArrayList<>();
    try {
      for (int t = 0; t < 8; t++) {
        runs.add(
            CompletableFuture.runAsync(
                () -> {
                  try {
                    go.await();
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                  }
                  for (int i = 0; i < 6; i++) {
                    int status = conductor.postJob(key, RunningConductor.LONG_JOB).statusCode();
                    (status == 202 ? accepted : refused).incrementAndGet();
                  }
                  JsonNode answer = postBatch(key, RunningConductor.LONG_JOB, 5);
                  accepted.addAndGet(answer.get("accepted").asInt());
                  refused.addAndGet(5 - answer.get("accepted").asInt());
                },
                submitters));
      }
      go.countDown();
      CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
    } finally {
      submitters.shutdownNow();
    }
    assertThat(accepted.get()).isEqualTo(QUOTA);
    assertThat(refused.get()).isEqualTo(88 - QUOTA);
    assertThat(counted(tenant)).isEqualTo(new Count(QUOTA, QUOTA));

    // Cancelled jobs leave room, and only as much as they left.
    List<String> ids = new ArrayList<>();
    listJobs(key).forEach(job -> ids.add(job.get("id").asText()));
    for (String id : ids.subList(0, 3)) {
      assertThat(conductor.send(conductor.tenant(key, "/v1/jobs/" + id).DELETE()).statusCode())
          .isEqualTo(200);
    }
    RunningConductor.await(
        () -> counted(tenant), c -> c.counter() == QUOTA - 3, Duration.ofSeconds(30));
    List<String> quick = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      quick.add(conductor.submitJob(key, ECHO));
    }
    assertThat(conductor.postJob(key, ECHO).statusCode()).isEqualTo(429);
    assertThat(counted(tenant)).isEqualTo(new Count(QUOTA, QUOTA));

    // Jobs that end give their place back; retention then deletes the ended ones (1 s), which
    // leaves the count of those that have not ended as it is.
    for (String id : quick) {
      conductor.awaitJobEnded(key, id, Duration.ofSeconds(60));
    }
    assertThat(counted(tenant)).isEqualTo(new Count(QUOTA - 3, QUOTA - 3));
    RunningConductor.await(() -> listJobs(key).size(), n -> n == QUOTA - 3, Duration.ofSeconds(30));
    assertThat(counted(tenant)).isEqualTo(new Count(QUOTA - 3, QUOTA - 3));
    assertThat(postBatch(key, ECHO, 5).get("accepted").asInt()).isEqualTo(3);

    // Offboarding ends what is left; the counter follows.
    conductor.offboard("counted");
    Count after = counted(tenant);
    assertThat(after.counter()).isEqualTo(after.actual());
  }

  /** The counter and the jobs it counts, read in one snapshot. */
  record Count(long counter, long actual) {}

  private Count counted(UUID tenant) {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT (SELECT coalesce(sum(unfinished), 0) FROM queued_job_counts"
                    + " WHERE tenant_id = ?),"
                    + " (SELECT count(*) FROM jobs WHERE tenant_id = ?"
                    + " AND status IN ('QUEUED', 'DISPATCHED', 'RUNNING'))")) {
      query.setObject(1, tenant);
      query.setObject(2, tenant);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return new Count(row.getLong(1), row.getLong(2));
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode postBatch(String key, String job, int count) {
    StringBuilder body = new StringBuilder("{\"jobs\":[");
    for (int i = 0; i < count; i++) {
      body.append(i == 0 ? "" : ",").append(job);
    }
    body.append("]}");
    HttpResponse<String> answer =
        conductor.send(
            conductor
                .tenant(key, "/v1/jobs/batch")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Json.parse(answer.body());
  }

  private List<JsonNode> listJobs(String key) {
    HttpResponse<String> listed = conductor.send(conductor.tenant(key, "/v1/jobs").GET());
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    List<JsonNode> items = new ArrayList<>();
    Json.parse(listed.body()).get("items").forEach(items::add);
    return items;
  }
}
