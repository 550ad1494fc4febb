package dev.conductor.job;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conductor restarted while jobs are in flight resumes from PostgreSQL alone: every accepted job
 * ends SUCCEEDED, and no worker process is left behind.
 */
class ConductorRestartIT {

  @Test
  void everyJobSucceedsAcrossARestartAndNoWorkerIsLeft() throws java.io.IOException {
    java.nio.file.Path home = java.nio.file.Files.createTempDirectory("conductor-restart-home");
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.home", home.toString());
    RunningConductor first = RunningConductor.start(properties);
    String key = first.onboard("restart", "dev");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(
          first.submitJob(
              key,
              "{\"type\":\"sleep\",\"payload\":{\"ms\":2000},\"affinityKey\":\"k"
                  + (i % 2)
                  + "\"}"));
    }
    await(
        () -> status(first, key, ids.get(0)),
        status -> status.equals("RUNNING") || status.equals("SUCCEEDED"),
        Duration.ofSeconds(60));
    first.close();

    try (RunningConductor second = RunningConductor.start(properties)) {
      for (String id : ids) {
        JsonNode job = second.awaitJobEnded(key, id, Duration.ofSeconds(90));
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      }
      JsonNode list = Json.parse(second.send(second.tenant(key, "/v1/jobs").GET()).body());
      assertThat(list.get("items").size()).isEqualTo(ids.size());
      await(
          () -> Json.parse(second.get("/v1/workers?tenant=restart").body()).size(),
          live -> live == 0,
          Duration.ofSeconds(60));
      await(second::workerProcesses, List::isEmpty, Duration.ofSeconds(30));
    } finally {
      RunningConductor.deleteRecursively(home);
    }
  }

  private static String status(RunningConductor conductor, String key, String id) {
    return conductor.job(key, id).path("status").asText();
  }
}
