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
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** What a payload may be, what a stored result may be, and what an idempotency key promises. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JobPayloadIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
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
  void aPayloadNestedDeeperThan32LevelsIs422AndStoresNothing() {
    String key = conductor.onboard("deep", "dev");
    for (int depth : new int[] {33, 63}) {
      HttpResponse<String> response =
          conductor.postJob(key, "{\"type\":\"echo\",\"payload\":" + nested(depth) + "}");
      JsonNode problem = assertProblem(response, 422);
      assertThat(problem.get("detail").asText()).contains(depth + " levels").contains("at most 32");
    }
    // Deeper bodies are refused at the edge, before binding (which once overflowed its stack).
    for (int depth : new int[] {64, 65, 66, 999, 5000}) {
      HttpResponse<String> response =
          conductor.postJob(key, "{\"type\":\"echo\",\"payload\":" + nested(depth) + "}");
      JsonNode problem = assertProblem(response, 422);
      assertThat(problem.get("detail").asText()).contains("deeper than 64 levels");
    }
    HttpResponse<String> listed = list(key);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    assertThat(Json.parse(listed.body()).get("items")).isEmpty();
  }

  @Test
  void aPayloadOf32LevelsRunsAndItsJobCanBeReadAndListed() {
    String key = conductor.onboard("deep-ok", "dev");
    String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":" + nested(32) + "}");
    JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("result").toString()).isEqualTo(nested(32));
    HttpResponse<String> listed = list(key);
    assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
    assertThat(Json.parse(listed.body()).get("items").get(0).get("result").toString())
        .isEqualTo(nested(32));
  }

  /** A worker (any handler) may report a result nested deeper than any payload may be. */
  @Test
  void aStoredDeeplyNestedResultCanAlwaysBeReadAndListed() throws Exception {
    String key = conductor.onboard("results", "dev");
    String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    conductor.awaitJobEnded(key, id, LIMIT);
    for (int depth : new int[] {63, 64, 65, 200, 5000, 33}) {
      storeResultAndRead(key, id, depth);
    }
  }

  private void storeResultAndRead(String key, String id, int depth) throws Exception {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement update = db.prepareStatement("UPDATE jobs SET result = ? WHERE id = ?")) {
      update.setString(1, nested(depth));
      update.setObject(2, UUID.fromString(id));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    HttpResponse<String> shown = conductor.send(conductor.tenant(key, "/v1/jobs/" + id).GET());
    HttpResponse<String> listed = list(key);
    assertThat(shown.statusCode()).as("show at depth %d: %s", depth, shown.body()).isEqualTo(200);
    assertThat(listed.statusCode()).as("list at depth %d: %s", depth, listed.body()).isEqualTo(200);
    JsonNode job = Json.parse(shown.body());
    assertThat(job.has("result")).isFalse();
    assertThat(job.get("resultJson").asText()).isEqualTo(nested(depth));
    assertThat(Json.parse(listed.body()).get("items").get(0).get("resultJson").asText())
        .isEqualTo(nested(depth));
  }

  @Test
  void anIdempotencyKeyReusedForAnotherRequestIs409AndChangesNothing() {
    String key = conductor.onboard("idem", "dev");
    String first =
        "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":[1,2]},\"affinityKey\":\"p1\","
            + "\"idempotencyKey\":\"order-7\"}";
    String id = conductor.submitJob(key, first);
    for (String other :
        new String[] {
          "{\"type\":\"echo\",\"payload\":{\"a\":2,\"b\":[1,2]},\"affinityKey\":\"p1\","
              + "\"idempotencyKey\":\"order-7\"}",
          "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":[2,1]},\"affinityKey\":\"p1\","
              + "\"idempotencyKey\":\"order-7\"}",
          "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":[1,2]},\"affinityKey\":\"p2\","
              + "\"idempotencyKey\":\"order-7\"}",
          "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":[1,2]},\"idempotencyKey\":\"order-7\"}",
          "{\"type\":\"echo\",\"affinityKey\":\"p1\",\"idempotencyKey\":\"order-7\"}",
          "{\"type\":\"sleep\",\"payload\":{\"a\":1,\"b\":[1,2]},\"affinityKey\":\"p1\","
              + "\"idempotencyKey\":\"order-7\"}"
        }) {
      JsonNode problem = assertProblem(conductor.postJob(key, other), 409);
      assertThat(problem.get("detail").asText()).contains(id);
    }
    JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(job.get("result").toString()).isEqualTo("{\"a\":1,\"b\":[1,2]}");
    assertThat(Json.parse(list(key).body()).get("items")).hasSize(1);
  }

  @Test
  void theSameRequestAgainReturnsTheFirstJobWhateverItsKeyOrder() {
    String key = conductor.onboard("idem-same", "dev");
    String id =
        conductor.submitJob(
            key,
            "{\"type\":\"echo\",\"payload\":{\"a\":1,\"b\":{\"c\":true,\"d\":null}},"
                + "\"idempotencyKey\":\"k1\"}");
    HttpResponse<String> again =
        conductor.postJob(
            key,
            "{\"idempotencyKey\":\"k1\",\"payload\":{\"b\":{\"d\":null,\"c\":true},\"a\":1},"
                + "\"type\":\"echo\"}");
    assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
    assertThat(Json.parse(again.body()).get("id").asText()).isEqualTo(id);
    assertThat(Json.parse(list(key).body()).get("items")).hasSize(1);
  }

  private HttpResponse<String> list(String key) {
    return conductor.send(conductor.tenant(key, "/v1/jobs").GET());
  }

  private static String nested(int depth) {
    return "[".repeat(depth) + "]".repeat(depth);
  }
}
