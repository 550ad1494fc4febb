package dev.conductor.job;

import static dev.conductor.testing.RunningConductor.LONG_JOB;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.fleet.WorkerInstance;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.fleet.WorkerState;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Jobs end to end on the embedded default with real workers, on each local runtime (a subclass per
 * runtime): routing by affinity key, scale-out, teardown by scheduled messages, crashes, isolation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class JobsEndToEndContract {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  // The dev plan's idle timeout in FastTimers.
  private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
  protected RunningConductor conductor;

  /** The conductor's settings: fast timers, and the runtime under test. */
  protected Map<String, Object> properties() {
    return FastTimers.properties();
  }

  /** Kills the worker as a crash would (SIGKILL of its process, of its container). */
  protected abstract void kill(String workerId);

  /** The worker's environment as the runtime gave it ({@code NAME=value}). */
  protected abstract List<String> environmentOf(String workerId);

  /** What still runs of this conductor's workers, as the runtime's engine sees it. */
  protected abstract List<?> workersRunning();

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(properties());
  }

  @AfterAll
  void stop() {
    conductor.close();
    afterStop();
  }

  /** Clears what the runtime keeps beyond the conductor by design. */
  protected void afterStop() {}

  @Test
  void jobsRunOnWorkersOfTheirOwnKeyAndIdleWorkersAreTornDown() {
    String key = conductor.onboard("affine", "dev");
    List<String> jobsA = new ArrayList<>();
    List<String> jobsB = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jobsA.add(
          conductor.submitJob(
              key,
              "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "},\"affinityKey\":\"proxy-a\"}"));
      jobsB.add(
          conductor.submitJob(
              key,
              "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "},\"affinityKey\":\"proxy-b\"}"));
    }
    Map<String, String> keyOfWorker = new HashMap<>();
    for (String id : jobsA) {
      JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
      assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(job.get("result").get("n")).isNotNull();
      // The timeline in order: created, sent to the worker, started there.
      Instant dispatched = Instant.parse(job.get("dispatchedAt").asText());
      assertThat(dispatched).isAfterOrEqualTo(Instant.parse(job.get("createdAt").asText()));
      assertThat(dispatched).isBeforeOrEqualTo(Instant.parse(job.get("startedAt").asText()));
      keyOfWorker.put(job.get("workerId").asText(), "proxy-a");
    }
    for (String id : jobsB) {
      JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
      assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(keyOfWorker.get(job.get("workerId").asText())).isNotEqualTo("proxy-a");
      keyOfWorker.put(job.get("workerId").asText(), "proxy-b");
    }
    JsonNode workers = Json.parse(conductor.get("/v1/workers?tenant=affine&all=true").body());
    for (JsonNode worker : workers) {
      String expected = keyOfWorker.get(worker.get("id").asText());
      if (expected != null) {
        assertThat(worker.get("affinityKey").asText()).isEqualTo(expected);
      }
    }
    // Idle timeout 3 s: every worker is torn down by its teardown message, and it ends.
    await(
        () -> Json.parse(conductor.get("/v1/workers?tenant=affine").body()).size(),
        live -> live == 0,
        Duration.ofSeconds(30));
    JsonNode ended = Json.parse(conductor.get("/v1/workers?tenant=affine&all=true").body());
    for (JsonNode worker : ended) {
      assertThat(worker.get("state").asText()).isEqualTo("STOPPED");
      assertThat(worker.get("stopReason").asText()).isEqualTo("idle");
    }
    await(this::workersRunning, List::isEmpty, Duration.ofSeconds(30));
  }

  @Test
  void moreJobsThanCapacityStartASecondWorkerWithinTheLimit() {
    String key = conductor.onboard("burst", "dev");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(conductor.submitJob(key, LONG_JOB.replace("}}", "},\"affinityKey\":\"k\"}")));
    }
    // dev plan: capacity 2, at most 2 workers per key. Jobs that outlast the test fill both
    // workers whatever the speed of the machine; the last two can only wait.
    List<JsonNode> jobs =
        await(
            () -> ids.stream().map(id -> conductor.job(key, id)).toList(),
            all -> all.stream().filter(j -> "RUNNING".equals(status(j))).count() == 4,
            LIMIT);
    Map<String, Long> runningPerWorker = new HashMap<>();
    for (JsonNode job : jobs) {
      if ("RUNNING".equals(status(job))) {
        runningPerWorker.merge(job.get("workerId").asText(), 1L, Long::sum);
      }
    }
    assertThat(runningPerWorker).hasSize(2).allSatisfy((worker, n) -> assertThat(n).isEqualTo(2));
    assertThat(jobs).filteredOn(j -> "QUEUED".equals(status(j))).hasSize(2);
    JsonNode all = Json.parse(conductor.get("/v1/workers?tenant=burst&all=true").body());
    assertThat(all.size()).isEqualTo(2);
    conductor.offboard("burst");
  }

  @Test
  void aKilledWorkersJobIsRequeuedAndRunsElsewhere() {
    String key = conductor.onboard("crashy", "dev");
    // Outlasts the test: the kill always lands mid-job.
    String id = conductor.submitJob(key, LONG_JOB);
    JsonNode running = await(() -> conductor.job(key, id), j -> "RUNNING".equals(status(j)), LIMIT);
    String firstWorker = running.get("workerId").asText();
    // The worker holds its tenant's own bus principal, never the conductor's.
    assertThat(environmentOf(firstWorker)).contains("CONDUCTOR_BUS_USER=tenant.crashy.worker");
    kill(firstWorker);
    JsonNode again =
        await(
            () -> conductor.job(key, id),
            j -> j.get("attempts").asInt() == 2 && "RUNNING".equals(status(j)),
            LIMIT);
    assertThat(again.get("workerId").asText()).isNotEqualTo(firstWorker);
    JsonNode lost =
        Json.parse(conductor.get("/v1/workers?tenant=crashy&all=true").body())
            .findParents("id")
            .stream()
            .filter(w -> w.get("id").asText().equals(firstWorker))
            .findFirst()
            .orElseThrow();
    assertThat(lost.get("state").asText()).isEqualTo("LOST");
    conductor.offboard("crashy");
  }

  @Test
  void teardownsNeverStopABusyWorker() {
    String key = conductor.onboard("busy", "dev");
    // Longer than the 3 s idle timeout: the dispatch's own teardown comes due mid-job.
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":6000}}");
    JsonNode running =
        await(
            () -> conductor.job(key, id),
            job -> "RUNNING".equals(job.get("status").asText()),
            LIMIT);
    String workerId = running.get("workerId").asText();
    JsonNode worker = workerView("busy", workerId);
    long generation = worker.get("generation").asLong();
    MessageBus bus = conductor.server().context().getBean(MessageBus.class);
    // Current generation (while busy), a duplicate of it, and stale ones.
    for (long g : new long[] {generation, generation, generation - 1, 0}) {
      bus.send(Topology.TEARDOWN_QUEUE, WireFormat.encode(Envelope.teardown("busy", workerId, g)));
    }
    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(done.get("workerId").asText()).isEqualTo(workerId);
  }

  @Test
  void aWorkerThatServedAJobIsTornDownOnceIdleForTheWholeTimeout() {
    String key = conductor.onboard("served", "dev");
    // Ends about when the teardown armed at ready comes due: early (re-armed) or busy (disarmed).
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":2500}}");
    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");

    WorkerInstance stopped = awaitIdleTeardown(done.get("workerId").asText());
    assertThat(stopped.stoppedAt())
        .as("stopped no sooner than the idle timeout after its job ended")
        .isAfterOrEqualTo(Instant.parse(done.get("finishedAt").asText()).plus(IDLE_TIMEOUT));
  }

  @Test
  void aTeardownArrivingWhileBusyDoesNotStopTheWorkerWhichIsTornDownOnceIdle() {
    String key = conductor.onboard("busy-then-idle", "dev");
    // Twice the idle timeout: the teardown armed at ready comes due mid-job.
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":6000}}");
    JsonNode running =
        await(() -> conductor.job(key, id), job -> "RUNNING".equals(status(job)), LIMIT);
    String workerId = running.get("workerId").asText();
    long generation = workerView("busy-then-idle", workerId).get("generation").asLong();
    MessageBus bus = conductor.server().context().getBean(MessageBus.class);
    bus.send(
        Topology.TEARDOWN_QUEUE,
        WireFormat.encode(Envelope.teardown("busy-then-idle", workerId, generation)));

    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(done.get("attempts").asInt()).isEqualTo(1);
    assertThat(done.get("workerId").asText()).isEqualTo(workerId);
    WorkerInstance stopped = awaitIdleTeardown(workerId);
    assertThat(stopped.stoppedAt())
        .as("stopped no sooner than the idle timeout after its job ended")
        .isAfterOrEqualTo(Instant.parse(done.get("finishedAt").asText()).plus(IDLE_TIMEOUT));
  }

  /** The worker, once its idle teardown stopped it (its row says so). */
  private WorkerInstance awaitIdleTeardown(String workerId) {
    WorkerRepository workers = conductor.server().context().getBean(WorkerRepository.class);
    WorkerInstance stopped =
        await(
            () -> workers.findById(UUID.fromString(workerId)).orElseThrow(),
            w -> w.state() == WorkerState.STOPPED,
            Duration.ofSeconds(30));
    assertThat(stopped.stopReason()).isEqualTo("idle");
    return stopped;
  }

  @Test
  void tenantsSeeOnlyTheirOwnJobsAndWorkers() {
    String keyA = conductor.onboard("iso-a", "dev");
    String keyB = conductor.onboard("iso-b", "dev");
    String jobA = conductor.submitJob(keyA, "{\"type\":\"echo\",\"payload\":\"a\"}");
    String jobB = conductor.submitJob(keyB, "{\"type\":\"echo\",\"payload\":\"b\"}");
    assertThat(get(keyB, "/v1/jobs/" + jobA).statusCode()).isEqualTo(404);
    assertThat(conductor.send(conductor.tenant(keyB, "/v1/jobs/" + jobA).DELETE()).statusCode())
        .isEqualTo(404);
    JsonNode listB = Json.parse(get(keyB, "/v1/jobs").body()).get("items");
    assertThat(listB.findValuesAsText("id")).contains(jobB).doesNotContain(jobA);
    JsonNode doneA = conductor.awaitJobEnded(keyA, jobA, LIMIT);
    JsonNode doneB = conductor.awaitJobEnded(keyB, jobB, LIMIT);
    assertThat(doneA.get("result").asText()).isEqualTo("a");
    assertThat(doneB.get("result").asText()).isEqualTo("b");
    Set<String> workersOfB =
        new HashSet<>(
            Json.parse(conductor.get("/v1/workers?tenant=iso-b&all=true").body())
                .findValuesAsText("id"));
    assertThat(workersOfB)
        .contains(doneB.get("workerId").asText())
        .doesNotContain(doneA.get("workerId").asText());
  }

  @Test
  void retryableFailuresAreRetriedUntilMaxAttempts() {
    String key = conductor.onboard("flaky", "dev");
    String retryable =
        conductor.submitJob(
            key, "{\"type\":\"fail\",\"payload\":{\"message\":\"boom\",\"retryable\":true}}");
    String fatal =
        conductor.submitJob(
            key, "{\"type\":\"fail\",\"payload\":{\"message\":\"bad input\",\"retryable\":false}}");
    JsonNode retried = conductor.awaitJobEnded(key, retryable, LIMIT);
    assertThat(retried.get("status").asText()).isEqualTo("FAILED");
    assertThat(retried.get("attempts").asInt()).isEqualTo(3);
    assertThat(retried.get("error").asText()).contains("boom");
    JsonNode failed = conductor.awaitJobEnded(key, fatal, LIMIT);
    assertThat(failed.get("status").asText()).isEqualTo("FAILED");
    assertThat(failed.get("attempts").asInt()).isEqualTo(1);
    assertThat(failed.get("error").asText()).contains("bad input");
  }

  @Test
  void aJobPastItsTimeoutFailsWithoutRetry() {
    String key = conductor.onboard("slowpoke", "tight");
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":5000}}");
    JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.get("error").asText()).contains("timed out");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
  }

  @Test
  void idempotencyKeyReturnsTheSameJobAndLongPollWaitsForTheEnd() {
    String key = conductor.onboard("idem", "dev");
    String body = "{\"type\":\"echo\",\"payload\":1,\"idempotencyKey\":\"order-42\"}";
    String first = conductor.submitJob(key, body);
    assertThat(conductor.submitJob(key, body)).isEqualTo(first);
    HttpResponse<String> waited = get(key, "/v1/jobs/" + first + "?wait=30s");
    assertThat(waited.statusCode()).isEqualTo(200);
    assertThat(Json.parse(waited.body()).get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(Json.parse(get(key, "/v1/jobs").body()).get("items").size()).isEqualTo(1);
  }

  private static String status(JsonNode job) {
    return job.path("status").asText();
  }

  private JsonNode workerView(String tenant, String workerId) {
    for (JsonNode worker : Json.parse(conductor.get("/v1/workers?tenant=" + tenant).body())) {
      if (worker.get("id").asText().equals(workerId)) {
        return worker;
      }
    }
    throw new AssertionError("worker " + workerId + " not listed");
  }

  private HttpResponse<String> get(String apiKey, String path) {
    return conductor.send(conductor.tenant(apiKey, path).GET());
  }
}
