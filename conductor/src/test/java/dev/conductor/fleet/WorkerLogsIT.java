package dev.conductor.fleet;

import static dev.conductor.testing.Problems.assertProblem;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.runtime.WorkerRuntimes;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A plan that names no runtime runs on the default, {@code process}, which the worker row records;
 * {@code GET /v1/workers/{id}/logs} shows a real worker's output while it runs and after it ended.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerLogsIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
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
  void aWorkersLogIsItsOutputWhileItRunsAndAfterItEnded() throws SQLException {
    String key = conductor.onboard("logged", "dev");
    // Long enough to read the log of a live worker, short enough to see it end (dev: idle 3 s).
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}");
    JsonNode running =
        await(
            () -> conductor.job(key, id),
            job -> "RUNNING".equals(job.path("status").asText()),
            LIMIT);
    String worker = running.get("workerId").asText();

    assertThat(runtimeOf(worker)).isEqualTo("process");
    // No plan names docker: its runtime (and an engine) is never needed.
    assertThat(conductor.server().context().getBean(WorkerRuntimes.class).active())
        .containsOnlyKeys("process");
    assertThat(conductor.workerProcess(worker).isAlive()).isTrue();
    // The worker logs "ready" just after it subscribes: its job may be running a moment before.
    HttpResponse<String> live =
        await(
            () -> logs(worker, ""), log -> log.body().contains("ready workerId=" + worker), LIMIT);
    assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
    assertThat(live.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");

    conductor.awaitJobEnded(key, id, LIMIT);
    await(
        () -> conductor.workerRow("logged", worker).path("state").asText(),
        state -> Set.of("STOPPED", "LOST").contains(state),
        LIMIT);
    String ended = logs(worker, "").body();
    assertThat(ended).contains("ready workerId=" + worker, "stopped workerId=" + worker);
    String last = logs(worker, "?tail=1").body();
    assertThat(last.lines()).hasSize(1);
    assertThat(ended).endsWith(last);
    assertThat(logs(worker, "?tail=0").body()).isEmpty();
    conductor.offboard("logged");
  }

  @Test
  void anUnknownWorkerIsNotFoundAndABadTailIsRefused() {
    assertProblem(logs(UUID.randomUUID().toString(), ""), 404);
    assertProblem(logs("nope", ""), 404);
    String someWorker = UUID.randomUUID().toString();
    assertProblem(logs(someWorker, "?tail=ten"), 400);
    assertProblem(logs(someWorker, "?tail=-1"), 400);
  }

  @Test
  void logsNeedTheOperatorToken() {
    HttpResponse<String> anonymous =
        conductor.send(
            HttpRequest.newBuilder(
                    conductor.url().resolve("/v1/workers/" + UUID.randomUUID() + "/logs"))
                .GET());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  private HttpResponse<String> logs(String worker, String query) {
    return conductor.send(
        conductor
            .admin("/v1/workers/" + worker + "/logs" + query)
            .header("Accept", "text/plain")
            .GET());
  }

  /** The runtime recorded on the worker's row. */
  private String runtimeOf(String worker) throws SQLException {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query = db.prepareStatement("SELECT runtime FROM workers WHERE id = ?")) {
      query.setObject(1, UUID.fromString(worker));
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
    }
  }
}
