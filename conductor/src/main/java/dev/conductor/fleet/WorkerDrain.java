package dev.conductor.fleet;

import dev.conductor.job.JobRepository;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimes;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops this conductor's workers when the conductor stops, the gentle way: each is told to stop
 * (SIGTERM), finishes its jobs in flight within {@code conductor.workers.shutdown-grace}, reports
 * them and exits; this waits until their results are recorded. A worker still busy at the end is
 * named in the log and killed, and its unfinished jobs run again after the restart.
 */
@Singleton
public class WorkerDrain {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerDrain.class);
  // After the grace: time for a worker to report its last jobs and exit.
  private static final Duration EXIT_MARGIN = Duration.ofSeconds(5);
  private static final Duration POLL = Duration.ofMillis(100);

  private final WorkerRuntimes runtimes;
  private final JobRepository jobs;
  private final WorkerLifecycle lifecycle;
  private final FleetSettings settings;
  private final Clock clock;

  WorkerDrain(
      WorkerRuntimes runtimes,
      JobRepository jobs,
      WorkerLifecycle lifecycle,
      FleetSettings settings,
      Clock clock) {
    this.runtimes = runtimes;
    this.jobs = jobs;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Drains every worker this conductor runs. Call it after routing has stopped and while the
   * control listeners and the database still record results.
   */
  public void drainAll() {
    lifecycle.conductorStopping();
    Map<UUID, Running> running = new HashMap<>();
    runtimes
        .active()
        .forEach(
            (kind, runtime) -> {
              try {
                runtime.list().forEach((id, ref) -> running.put(id, new Running(runtime, ref)));
              } catch (RuntimeException e) {
                LOG.warn("workers of runtime={} not listed at stop: {}", kind, e.toString());
              }
            });
    if (running.isEmpty()) {
      return;
    }
    Duration grace = settings.shutdownGrace();
    LOG.info("stopping workers count={} grace={}s", running.size(), grace.toSeconds());
    running.forEach(
        (id, worker) -> {
          try {
            lifecycle.drainForStop(id);
          } catch (RuntimeException e) {
            LOG.warn("worker={} not marked draining", id, e);
          }
          // The worker's own grace is the same setting; the runtime kills it only after this.
          worker.runtime().stop(worker.ref(), grace.plus(EXIT_MARGIN));
        });
    Instant deadline = clock.instant().plus(grace).plus(EXIT_MARGIN);
    Map<UUID, Running> pending = new HashMap<>(running);
    Map<UUID, Instant> exitedAt = new HashMap<>();
    while (!pending.isEmpty() && clock.instant().isBefore(deadline)) {
      pending.entrySet().removeIf(worker -> done(worker.getKey(), worker.getValue(), exitedAt));
      if (!pending.isEmpty() && !pause()) {
        break;
      }
    }
    pending.forEach(
        (id, worker) -> {
          LOG.warn(
              "worker still busy at the end of the shutdown grace; stopping it now, its"
                  + " unfinished jobs run again after the restart worker={} inFlight={} grace={}s",
              id,
              inFlight(id),
              grace.toSeconds());
          worker.runtime().stop(worker.ref(), Duration.ZERO);
        });
  }

  /** A worker as its runtime runs it. */
  private record Running(WorkerRuntime runtime, String ref) {}

  /** Exited, and its results recorded (or no longer expected: it exited a while ago). */
  private boolean done(UUID id, Running worker, Map<UUID, Instant> exitedAt) {
    if (worker.runtime().isRunning(worker.ref())) {
      return false;
    }
    Instant exited = exitedAt.computeIfAbsent(id, x -> clock.instant());
    return inFlight(id) == 0 || exited.plus(EXIT_MARGIN).isBefore(clock.instant());
  }

  private long inFlight(UUID id) {
    try {
      return jobs.countInFlightOn(id);
    } catch (RuntimeException e) {
      // Nothing can be recorded without the database: waiting would not help.
      return 0;
    }
  }

  private static boolean pause() {
    try {
      Thread.sleep(POLL.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
