package dev.conductor.fleet;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * A conductor stopping while a worker cannot finish in time (frozen with SIGSTOP) says so: one log
 * line naming the worker and its unfinished jobs, then the worker is killed, not left behind.
 */
class WorkerDrainIT {

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aWorkerStillBusyAtTheEndOfTheGraceIsNamedAndStopped() throws Exception {
    Logger logger = (Logger) LoggerFactory.getLogger("dev.conductor");
    ListAppender<ILoggingEvent> log = new ListAppender<>();
    log.start();
    logger.addAppender(log);
    RunningConductor conductor = RunningConductor.start(FastTimers.properties());
    ProcessHandle process = null;
    boolean closed = false;
    try {
      String key = conductor.onboard("busy", "dev");
      String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
      JsonNode running =
          await(
              () -> conductor.job(key, id),
              job -> "RUNNING".equals(job.path("status").asText()),
              Duration.ofSeconds(60));
      String workerId = running.get("workerId").asText();
      process = conductor.workerProcess(workerId);
      // Frozen: it neither finishes nor reports within the grace.
      new ProcessBuilder("kill", "-STOP", Long.toString(process.pid())).start().waitFor();

      conductor.close();
      closed = true;

      assertThat(log.list)
          .map(ILoggingEvent::getFormattedMessage)
          .anyMatch(
              line ->
                  line.contains("still busy at the end of the shutdown grace")
                      && line.contains("worker=" + workerId)
                      && line.contains("inFlight=1"));
      ProcessHandle frozen = process;
      await(frozen::isAlive, alive -> !alive, Duration.ofSeconds(30));
    } finally {
      if (!closed) {
        conductor.close();
      }
      logger.detachAppender(log);
      if (process != null) {
        process.destroyForcibly();
      }
    }
  }
}
