package dev.conductor.job;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpClient;
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
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code POST /v1/jobs/batch} on a real conductor: each job gets the result {@code POST /v1/jobs}
 * would have given it, only the accepted jobs are stored, and they run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobBatchIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    // A small payload limit, so that 413 is cheap to provoke.
    properties.put("conductor.plans.dev.max-payload-bytes", 64);
    plan(properties, "capped");
    properties.put("conductor.plans.capped.max-queued-jobs", 3);
    plan(properties, "limited");
    properties.put("conductor.plans.limited.submit-rate", 1);
    properties.put("conductor.plans.limited.submit-burst", 3);
    plan(properties, "bulk");
    conductor = RunningConductor.start(properties);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void eachJobOfAMixedBatchGetsItsOwnResultAndOnlyTheAcceptedAreStoredAndRun() {
    String key = conductor.onboard("batchmix", "dev");
    String earlier =
        conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":1,\"idempotencyKey\":\"old\"}");
    JsonNode answer =
        ok(
            post(
                key,
                batch(
                    "{\"type\":\"echo\",\"payload\":{\"n\":0}}",
                    "{\"type\":\"launch-missiles\"}",
                    "{\"type\":\"echo\",\"payload\":\"" + "x".repeat(100) + "\"}",
                    "{\"type\":\"echo\",\"location\":\"eu\"}",
                    // The same request as the earlier job under its key, then another one.
                    "{\"type\":\"echo\",\"payload\":1,\"idempotencyKey\":\"old\"}",
                    "{\"type\":\"echo\",\"payload\":2,\"idempotencyKey\":\"old\"}",
                    // A key first used in this batch: again the same (key order aside), then not.
                    "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":2},\"idempotencyKey\":\"new\"}",
                    "{\"idempotencyKey\":\"new\",\"payload\":{\"b\":2,\"a\":1},\"type\":\"echo\"}",
                    "{\"type\":\"echo\",\"payload\":3,\"idempotencyKey\":\"new\"}",
                    "{\"type\":\"echo\",\"affinityKey\":\"has space\"}",
                    "{}",
                    "{\"type\":\"echo\",\"payload\":{\"n\":11},\"affinityKey\":\"k\"}")));
    JsonNode results = answer.get("results");
    assertThat(results.size()).isEqualTo(12);
    assertThat(answer.get("accepted").asInt()).isEqualTo(5);
    assertThat(answer.get("refused").asInt()).isEqualTo(7);

    String first = acceptedNew(results.get(0));
    assertThat(refused(results.get(1), 422))
        .isEqualTo(
            "unknown job type 'launch-missiles'; this tenant's workers run: echo, sleep, fail");
    assertThat(refused(results.get(2), 413)).isEqualTo("payload is 102 bytes; plan dev allows 64");
    assertThat(refused(results.get(3), 422))
        .isEqualTo("location 'eu' is not served here: runtime 'process' serves no locations");
    assertThat(replayOf(results.get(4))).isEqualTo(earlier);
    assertThat(refused(results.get(5), 409))
        .isEqualTo(
            "idempotencyKey already used for job "
                + earlier
                + " with another payload; send the same request again or use a new key");
    String keyed = acceptedNew(results.get(6));
    assertThat(replayOf(results.get(7))).isEqualTo(keyed);
    assertThat(refused(results.get(8), 409)).contains("already used for job " + keyed);
    assertThat(refused(results.get(9), 422))
        .isEqualTo("affinityKey must be 1 to 128 characters of letters, digits and ._:@/+=-");
    assertThat(refused(results.get(10), 422)).isEqualTo("job type is required");
    String last = acceptedNew(results.get(11));

    assertThat(storedIds(key)).containsExactlyInAnyOrder(earlier, first, keyed, last);
    for (String id : List.of(first, keyed, last)) {
      JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
      assertThat(job.get("status").asText()).as(id).isEqualTo("SUCCEEDED");
    }
    assertThat(conductor.job(key, first).get("result").get("n").asInt()).isZero();
    assertThat(conductor.job(key, last).get("result").get("n").asInt()).isEqualTo(11);
    assertThat(conductor.job(key, last).get("affinityKey").asText()).isEqualTo("k");
  }

  @Test
  void aThousandJobsAreStoredInOneRequestAndOneMoreRefusesTheWholeBatch() {
    String key = conductor.onboard("batchbulk", "bulk");
    List<String> jobs = new ArrayList<>();
    for (int i = 0; i < 1001; i++) {
      jobs.add("{\"type\":\"sleep\",\"payload\":{\"ms\":1,\"n\":" + i + "}}");
    }
    JsonNode tooMany = assertProblem(post(key, batch(jobs.toArray(String[]::new))), 413);
    assertThat(tooMany.get("detail").asText())
        .isEqualTo("a batch holds at most 1000 jobs; got 1001: send the rest in another batch");
    assertThat(storedCount("batchbulk")).isZero();
    assertThat(assertProblem(post(key, "{\"jobs\":[]}"), 400).get("detail").asText())
        .isEqualTo("a batch holds 1 to 1000 jobs in \"jobs\"; got none");
    assertProblem(post(key, "{}"), 400);
    assertThat(storedCount("batchbulk")).isZero();

    JsonNode answer = ok(post(key, batch(jobs.subList(0, 1000).toArray(String[]::new))));
    assertThat(answer.get("accepted").asInt()).isEqualTo(1000);
    assertThat(answer.get("refused").asInt()).isZero();
    Set<String> ids = new TreeSet<>();
    answer.get("results").forEach(result -> ids.add(acceptedNew(result)));
    assertThat(ids).hasSize(1000);
    assertThat(storedCount("batchbulk")).isEqualTo(1000);
    conductor.offboard("batchbulk");
  }

  @Test
  void concurrentBatchesWithTheSameKeysStoreEachKeyOnceAndReplayItForTheOthers() {
    String key = conductor.onboard("batchrace", "bulk");
    int keys = 200;
    int batches = 4;
    String[] jobs = new String[keys];
    for (int i = 0; i < keys; i++) {
      jobs[i] = "{\"type\":\"echo\",\"payload\":" + i + ",\"idempotencyKey\":\"race-" + i + "\"}";
    }
    // Sent at once, the batches all find the keys free and race in the insert (on this machine
    // three
    // of four lost every key there): the losers must answer replays, never fail.
    HttpClient http = HttpClient.newHttpClient();
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      sent.add(
          http.sendAsync(
              conductor
                  .tenant(key, "/v1/jobs/batch")
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(batch(jobs)))
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    List<JsonNode> answers =
        sent.stream().map(CompletableFuture::join).map(JobBatchIT::ok).toList();
    for (int i = 0; i < keys; i++) {
      Set<String> ids = new TreeSet<>();
      int stored = 0;
      for (JsonNode answer : answers) {
        JsonNode result = answer.get("results").get(i);
        assertThat(result.has("error")).as(result.toString()).isFalse();
        ids.add(result.get("id").asText());
        stored += result.get("replayed").asBoolean() ? 0 : 1;
      }
      assertThat(ids).as("key race-" + i).hasSize(1);
      assertThat(stored).as("key race-" + i).isEqualTo(1);
    }
    assertThat(storedCount("batchrace")).isEqualTo(keys);
    conductor.offboard("batchrace");
  }

  @Test
  void aBatchOverThePlansQueuedJobsStoresTheFirstThatFitAndRefusesTheRestWith429() {
    String key = conductor.onboard("batchcap", "capped");
    JsonNode results =
        ok(post(
                key,
                batch(
                    RunningConductor.LONG_JOB,
                    RunningConductor.LONG_JOB,
                    LONG_KEYED,
                    RunningConductor.LONG_JOB,
                    LONG_KEYED,
                    RunningConductor.LONG_JOB)))
            .get("results");
    acceptedNew(results.get(0));
    acceptedNew(results.get(1));
    String keyed = acceptedNew(results.get(2));
    assertThat(refused(results.get(3), 429)).contains("3 jobs that have not ended");
    assertThat(results.get(3).get("retryAfter").asLong()).isEqualTo(5);
    // A replay takes no room.
    assertThat(replayOf(results.get(4))).isEqualTo(keyed);
    assertThat(refused(results.get(5), 429)).contains("3 jobs that have not ended");
    assertThat(storedCount("batchcap")).isEqualTo(3);
    conductor.offboard("batchcap");
  }

  @Test
  void aBatchFasterThanThePlansRateStoresTheBurstAndRefusesTheRestWith429() {
    String key = conductor.onboard("batchrate", "limited");
    String echo = "{\"type\":\"echo\",\"payload\":1}";
    JsonNode results = ok(post(key, batch(echo, echo, echo, echo, echo))).get("results");
    for (int i = 0; i < 3; i++) {
      acceptedNew(results.get(i));
    }
    for (int i = 3; i < 5; i++) {
      assertThat(refused(results.get(i), 429)).contains("1 jobs/s, bursts of 3");
      assertThat(results.get(i).get("retryAfter").asLong()).isBetween(1L, 2L);
    }
    assertThat(storedCount("batchrate")).isEqualTo(3);
    conductor.offboard("batchrate");
  }

  @Test
  void aBatchThatIsNotValidJsonOrOfTheWrongShapeIsRefusedWhole() {
    String key = conductor.onboard("batchshape", "dev");
    assertProblem(post(key, "{\"jobs\":[{\"type\":\"echo\"}"), 400);
    assertProblem(
        post(key, "{\"jobs\":[{\"type\":\"echo\",\"payload\":1,\"affinityKey\":5}]}"), 400);
    assertProblem(post(key, "[{\"type\":\"echo\"}]"), 400);
    assertProblem(post("ck_wrong", batch("{\"type\":\"echo\"}")), 401);
    assertThat(storedCount("batchshape")).isZero();
  }

  private static final String LONG_KEYED =
      "{\"type\":\"sleep\",\"payload\":{\"ms\":50000},\"idempotencyKey\":\"long\"}";

  private static String batch(String... jobs) {
    StringJoiner body = new StringJoiner(",", "{\"jobs\":[", "]}");
    for (String job : jobs) {
      body.add(job);
    }
    return body.toString();
  }

  private HttpResponse<String> post(String key, String body) {
    return conductor.send(
        conductor
            .tenant(key, "/v1/jobs/batch")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static JsonNode ok(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  /** The id of a job this batch stored. */
  private static String acceptedNew(JsonNode result) {
    assertThat(result.has("error")).as(result.toString()).isFalse();
    assertThat(result.get("replayed").asBoolean()).as(result.toString()).isFalse();
    assertThat(result.get("status").asText()).isEqualTo("QUEUED");
    return result.get("id").asText();
  }

  /** The id of the earlier job that the same request under the same key returned. */
  private static String replayOf(JsonNode result) {
    assertThat(result.has("error")).as(result.toString()).isFalse();
    assertThat(result.get("replayed").asBoolean()).as(result.toString()).isTrue();
    return result.get("id").asText();
  }

  /** The detail of a refused job's problem, after checking its status. */
  private static String refused(JsonNode result, int status) {
    assertThat(result.has("id")).as(result.toString()).isFalse();
    JsonNode error = result.get("error");
    assertThat(error.get("status").asInt()).as(result.toString()).isEqualTo(status);
    assertThat(error.get("title").asText()).isNotBlank();
    return error.get("detail").asText();
  }

  private List<String> storedIds(String key) {
    List<String> ids = new ArrayList<>();
    Json.parse(conductor.send(conductor.tenant(key, "/v1/jobs?limit=500").GET()).body())
        .get("items")
        .forEach(job -> ids.add(job.get("id").asText()));
    return ids;
  }

  /** The tenant's rows in the jobs table, whatever their state. */
  private int storedCount(String tenant) {
    UUID id = conductor.tenantId(tenant);
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query =
            db.prepareStatement("SELECT count(*) FROM jobs WHERE tenant_id = ?")) {
      query.setObject(1, id);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
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
}
