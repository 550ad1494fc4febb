package dev.conductor.reports;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Worker reports applied as a conductor receives them, duplicated, late, from the wrong worker or
 * out of order: only the current attempt's first end counts, and nothing after it changes the job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkerReportsIT {
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
  void onlyTheCurrentAttemptsFirstEndCounts() {
    String key = conductor.onboard("reporting", "dev");
    UUID tenantId = conductor.tenantId("reporting");
    // Outlasts the test: the worker's own report never arrives while these are applied.
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    JsonNode running =
        await(
            () -> conductor.job(key, id),
            job -> "RUNNING".equals(job.path("status").asText()),
            Duration.ofSeconds(60));
    String worker = running.get("workerId").asText();
    WorkerReports reports = conductor.server().context().getBean(WorkerReports.class);
    Envelope attempt1 = dispatched(worker, id, 1);

    reports.apply(tenantId, dispatched(worker, id, 0).succeeded(worker, result("stale attempt")));
    reports.apply(
        tenantId, attempt1.succeeded(UUID.randomUUID().toString(), result("another worker")));
    assertThat(conductor.job(key, id).get("status").asText()).isEqualTo("RUNNING");

    reports.apply(tenantId, attempt1.succeeded(worker, result("first")));
    JsonNode succeeded = conductor.job(key, id);
    assertThat(succeeded.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(succeeded.get("result")).isEqualTo(result("first"));

    reports.apply(tenantId, attempt1.succeeded(worker, result("duplicate")));
    reports.apply(tenantId, attempt1.failed(worker, "late failure", true));
    reports.apply(tenantId, attempt1.started(worker));
    JsonNode after = conductor.job(key, id);
    assertThat(after.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(after.get("result")).isEqualTo(result("first"));
    assertThat(after.get("finishedAt")).isEqualTo(succeeded.get("finishedAt"));
    assertThat(after.get("startedAt")).isEqualTo(succeeded.get("startedAt"));
    assertThat(after.get("attempts").asInt()).isEqualTo(1);
    conductor.offboard("reporting");
  }

  private static Envelope dispatched(String worker, String jobId, int attempt) {
    return Envelope.job(
        "reporting",
        worker,
        jobId,
        attempt,
        "sleep",
        JsonNodeFactory.instance.objectNode().put("ms", 50000),
        60_000,
        null);
  }

  private static JsonNode result(String value) {
    return JsonNodeFactory.instance.objectNode().put("from", value);
  }
}
