package dev.conductor.fleet;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import dev.conductor.testing.Sleeper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The reconciler against real processes: hung workers and orphans. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReconcilerIT {
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
  void aWorkerThatStopsHeartbeatingIsLostAndItsJobRunsElsewhere() throws Exception {
    String key = conductor.onboard("frozen", "dev");
    // Outlasts the test: the freeze always lands mid-job.
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    JsonNode running =
        await(
            () -> conductor.job(key, id),
            job -> "RUNNING".equals(job.path("status").asText()),
            Duration.ofSeconds(60));
    String worker = running.get("workerId").asText();
    ProcessHandle process = conductor.workerProcess(worker);
    // SIGSTOP: the process is alive but silent, like a hung or partitioned worker.
    new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor();
    try {
      JsonNode again =
          await(
              () -> conductor.job(key, id),
              job ->
                  job.get("attempts").asInt() == 2 && "RUNNING".equals(job.path("status").asText()),
              Duration.ofSeconds(60));
      assertThat(again.get("workerId").asText()).isNotEqualTo(worker);
      JsonNode lost = conductor.workerRow("frozen", worker);
      assertThat(lost.get("state").asText()).isEqualTo("LOST");
      assertThat(lost.get("stopReason").asText()).contains("heartbeat");
      await(process::isAlive, alive -> !alive, Duration.ofSeconds(30));
    } finally {
      process.destroyForcibly();
    }
    conductor.offboard("frozen");
  }

  @Test
  void aWorkerProcessWithoutALiveRowIsStopped() {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path home = conductor.server().home();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Dconductor.worker=" + UUID.randomUUID(),
            "-Dconductor.worker.home=" + home,
            Sleeper.class.getName());
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    Process orphan;
    try {
      orphan = builder.start();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
    try {
      await(orphan::isAlive, alive -> !alive, Duration.ofSeconds(30));
    } finally {
      orphan.destroyForcibly();
    }
  }
}
