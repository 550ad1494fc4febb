package dev.conductor.fleet;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.PostgresFreeze;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The conductor's own database stalls (the real embedded PostgreSQL frozen with SIGSTOP) for longer
 * than the heartbeat timeout while a healthy worker keeps heartbeating: once the database is back
 * the worker is still READY with the same process, and no job runs twice.
 */
class DatabaseStallIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(3);
  private static final Duration FREEZE = Duration.ofSeconds(8);
  private static final int POLLS = 12;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aDatabaseStallDoesNotMakeAHealthyWorkerLostNorRunFinishedJobsAgain() throws Exception {
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.workers.heartbeat-timeout", HEARTBEAT_TIMEOUT.toMillis() + "ms");
    // Long enough that the worker outlives the test unless something stops it.
    properties.put("conductor.plans.dev.idle-timeout", "5m");
    // A pool that gives up waiting for a connection within the stall, as a fail-fast one does.
    properties.put("datasources.default.connection-timeout", "1000");
    properties.put("datasources.default.validation-timeout", "500");
    try (RunningConductor conductor = RunningConductor.start(properties)) {
      String key = conductor.onboard("stall", "dev");
      List<String> finished = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String id = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}");
        assertThat(conductor.awaitJobEnded(key, id, LIMIT).get("status").asText())
            .isEqualTo("SUCCEEDED");
        finished.add(id);
      }
      // Ends while the database is frozen: its success is reported during the stall.
      String during = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}");
      JsonNode running =
          await(
              () -> conductor.job(key, during),
              job -> "RUNNING".equals(job.path("status").asText()),
              LIMIT);
      String workerId = running.get("workerId").asText();
      ProcessHandle process = conductor.workerProcess(workerId);

      List<CompletableFuture<HttpResponse<Void>>> polls = new ArrayList<>();
      try (PostgresFreeze freeze = PostgresFreeze.of(conductor.server().home())) {
        // The tenant app keeps asking for its jobs meanwhile; its requests hold the pool.
        for (int i = 0; i < POLLS; i++) {
          polls.add(
              http.sendAsync(
                  conductor.tenant(key, "/v1/jobs/" + during).GET().build(),
                  HttpResponse.BodyHandlers.discarding()));
        }
        Thread.sleep(FREEZE.toMillis());
      }
      for (CompletableFuture<HttpResponse<Void>> poll : polls) {
        poll.handle((response, failure) -> null).get(70, TimeUnit.SECONDS);
      }

      JsonNode slept = conductor.awaitJobEnded(key, during, LIMIT);
      assertThat(slept.get("status").asText()).as(slept.toString()).isEqualTo("SUCCEEDED");
      assertThat(slept.get("attempts").asInt()).as(slept.toString()).isEqualTo(1);
      // Several heartbeat timeouts after the thaw: time enough for a wrong verdict to show.
      Thread.sleep(HEARTBEAT_TIMEOUT.multipliedBy(3).toMillis());
      JsonNode worker = conductor.workerRow("stall", workerId);
      assertThat(worker.get("state").asText()).as(worker.toString()).isEqualTo("READY");
      assertThat(process.isAlive()).as("worker process " + process.pid() + " alive").isTrue();
      for (String id : finished) {
        JsonNode job = conductor.job(key, id);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).as(job.toString()).isEqualTo(1);
      }
    }
  }
}
