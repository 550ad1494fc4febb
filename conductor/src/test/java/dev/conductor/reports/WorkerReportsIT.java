package dev.conductor.reports;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.JobStatus;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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

  /**
   * The bus may hand a job's end to the conductor before its start: the job still has a timeline,
   * {@code startedAt ≤ finishedAt}, and the late start changes nothing.
   */
  @Test
  void anEndReportedBeforeItsStartStillGivesATimeline() {
    conductor.onboard("timeline", "dev");
    UUID tenantId = conductor.tenantId("timeline");
    JobRepository jobs = conductor.server().context().getBean(JobRepository.class);
    WorkerReports reports = conductor.server().context().getBean(WorkerReports.class);
    // A worker no conductor started, so nothing else reports on these jobs.
    String worker = UUID.randomUUID().toString();

    for (JobStatus end : List.of(JobStatus.SUCCEEDED, JobStatus.FAILED)) {
      Instant dispatched = Instant.now();
      Job job =
          jobs.save(
              new Job(
                  UUID.randomUUID(),
                  tenantId,
                  "echo",
                  "{}",
                  "",
                  null,
                  JobStatus.DISPATCHED,
                  1,
                  3,
                  60_000,
                  UUID.fromString(worker),
                  null,
                  null,
                  null,
                  dispatched,
                  dispatched,
                  null,
                  null,
                  dispatched,
                  ""));
      Envelope attempt =
          Envelope.job(
              "timeline",
              worker,
              job.id().toString(),
              1,
              "echo",
              JsonNodeFactory.instance.objectNode(),
              60_000,
              null);

      reports.apply(
          tenantId,
          end == JobStatus.SUCCEEDED
              ? attempt.succeeded(worker, result("before its start"))
              : attempt.failed(worker, "failed before its start", false));
      Job ended = jobs.findById(job.id()).orElseThrow();
      reports.apply(tenantId, attempt.started(worker));
      Job after = jobs.findById(job.id()).orElseThrow();

      assertThat(ended.status()).isEqualTo(end);
      assertThat(ended.startedAt()).as(end + " startedAt").isNotNull();
      assertThat(ended.startedAt()).isBeforeOrEqualTo(ended.finishedAt());
      assertThat(after).as("after the late start").isEqualTo(ended);
    }
    conductor.offboard("timeline");
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
