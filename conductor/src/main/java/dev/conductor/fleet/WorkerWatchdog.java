package dev.conductor.fleet;

import dev.conductor.PeriodicPass;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares LOST the workers that stopped giving signs of life while their process may still run: a
 * start that never reported ready, heartbeats that stopped, a job far past its timeout (its worker
 * no longer enforces it). Silence counts from the later of this conductor's start and its
 * database's last recovery, since heartbeats could not be recorded before.
 */
@Singleton
public class WorkerWatchdog extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerWatchdog.class);

  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final WorkerLifecycle lifecycle;
  private final FleetSettings settings;
  private final DatabaseOutages outages;
  private final Clock clock;
  // Silence before this conductor started listening says nothing about a worker's health.
  private final Instant upSince;

  WorkerWatchdog(
      WorkerRepository workers,
      JobRepository jobs,
      WorkerLifecycle lifecycle,
      FleetSettings settings,
      DatabaseOutages outages,
      Clock clock) {
    this.workers = workers;
    this.jobs = jobs;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.outages = outages;
    this.clock = clock;
    this.upSince = clock.instant();
  }

  @Scheduled(
      fixedDelay = "${conductor.workers.reconcile-interval}",
      initialDelay = "${conductor.workers.reconcile-interval}")
  void tick() {
    runOnce();
  }

  @Override
  protected void pass() {
    var live = outages.timed(workers::findAllLive);
    // After the read: a read that hung through a database stall judges with the stall noted.
    Instant now = clock.instant();
    Instant since = latest(upSince, outages.recoveredAt());
    for (WorkerInstance worker : live) {
      String silence = silence(worker, since, now, settings);
      if (silence != null) {
        lose(worker.id(), silence);
      }
    }
    if (since.plus(settings.heartbeatTimeout()).isBefore(now)) {
      for (Job job :
          outages.timed(() -> jobs.findOverdue(settings.heartbeatTimeout().toMillis()))) {
        lose(
            Objects.requireNonNull(job.workerId(), "an overdue job was dispatched to a worker"),
            "job " + job.id() + " ran past its timeout of " + job.timeoutMs() + " ms");
      }
    }
  }

  /**
   * Why the worker counts as lost at {@code now}, or null if it gave a sign of life in time;
   * silence before {@code since} does not count.
   */
  static @Nullable String silence(
      WorkerInstance worker, Instant since, Instant now, FleetSettings settings) {
    if (worker.state() == WorkerState.STARTING) {
      boolean late = latest(worker.startedAt(), since).plus(settings.startTimeout()).isBefore(now);
      return late ? "did not report ready within " + settings.startTimeout() : null;
    }
    Instant lastSign =
        latest(
            worker.lastHeartbeatAt() == null ? worker.startedAt() : worker.lastHeartbeatAt(),
            since);
    boolean silent = lastSign.plus(settings.heartbeatTimeout()).isBefore(now);
    return silent ? "no heartbeat for " + settings.heartbeatTimeout() : null;
  }

  private void lose(UUID workerId, String reason) {
    try {
      lifecycle.lost(workerId, reason);
    } catch (RuntimeException e) {
      outages.failed(e);
      LOG.warn("worker={} not marked lost", workerId, e);
    }
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  @Override
  protected void failed(RuntimeException e) {
    outages.failed(e);
  }
}
