package dev.conductor.workers;

import dev.conductor.Threads;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.routing.Dispatcher;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what the runtime really runs with the worker table, and nudges what stalled: processes
 * without a live row are stopped; rows whose process is gone, whose start or heartbeats stalled,
 * become LOST (their jobs re-queued); dispatched jobs never reported started are sent again;
 * tenants with dispatchable jobs (a retry's backoff over, a restart) are routed.
 */
@Context
public class Reconciler {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration PASS_WAIT = Duration.ofSeconds(10);

  private final WorkerRuntime runtime;
  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final WorkerLifecycle lifecycle;
  private final WorkerFleet fleet;
  private final Dispatcher dispatcher;
  private final WorkerSettings settings;
  private final DatabaseOutages outages;
  private final Clock clock;
  // Silence before this conductor started listening says nothing about a worker's health.
  private final Instant upSince;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("reconciler"));

  Reconciler(
      WorkerRuntime runtime,
      WorkerRepository workers,
      JobRepository jobs,
      TenantRepository tenants,
      WorkerLifecycle lifecycle,
      WorkerFleet fleet,
      Dispatcher dispatcher,
      WorkerSettings settings,
      DatabaseOutages outages,
      Clock clock) {
    this.runtime = runtime;
    this.workers = workers;
    this.jobs = jobs;
    this.tenants = tenants;
    this.lifecycle = lifecycle;
    this.fleet = fleet;
    this.dispatcher = dispatcher;
    this.settings = settings;
    this.outages = outages;
    this.clock = clock;
    this.upSince = clock.instant();
    long every = settings.reconcileInterval().toMillis();
    timer.scheduleWithFixedDelay(this::reconcile, every, every, TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(this::routeWaitingJobs, 1000, 1000, TimeUnit.MILLISECONDS);
  }

  public void reconcile() {
    try {
      // Rows first: a worker started after this read is unknown here, never "missing".
      List<WorkerInstance> live = timed(workers::findAllLive);
      // After the read: a read that hung through a database stall judges with the stall noted.
      Instant now = clock.instant();
      Instant since = latest(upSince, outages.recoveredAt());
      Map<UUID, String> running = runtime.list();
      Set<UUID> liveIds = new HashSet<>();
      for (WorkerInstance worker : live) {
        liveIds.add(worker.id());
        checkWorker(worker, running, since, now);
      }
      running.forEach(
          (id, ref) -> {
            if (!liveIds.contains(id) && !stillExiting(id, now)) {
              LOG.warn("stopping orphan worker process worker={} ref={}", id, ref);
              runtime.stop(ref, Duration.ofSeconds(5));
            }
          });
      resendStalledDispatches(now);
      if (since.plus(settings.heartbeatTimeout()).isBefore(now)) {
        stopHungWorkers();
      }
    } catch (RuntimeException e) {
      outages.failed(e);
      LOG.warn("reconcile failed: {}", e.toString());
    }
  }

  /**
   * Silence counts from {@code since}: the later of this conductor's start and its database's last
   * recovery, since heartbeats could not be recorded before.
   */
  private void checkWorker(
      WorkerInstance worker, Map<UUID, String> running, Instant since, Instant now) {
    boolean started = worker.runtimeRef() != null;
    if (started && !running.containsKey(worker.id()) && !runtime.isRunning(worker.runtimeRef())) {
      lifecycle.exited(worker.id());
      return;
    }
    if (worker.state() == WorkerState.STARTING) {
      if (latest(worker.startedAt(), since).plus(settings.startTimeout()).isBefore(now)) {
        lifecycle.lost(worker.id(), "did not report ready within " + settings.startTimeout());
      }
      return;
    }
    Instant lastSign =
        latest(
            worker.lastHeartbeatAt() == null ? worker.startedAt() : worker.lastHeartbeatAt(),
            since);
    if (lastSign.plus(settings.heartbeatTimeout()).isBefore(now)) {
      lifecycle.lost(worker.id(), "no heartbeat for " + settings.heartbeatTimeout());
    }
  }

  /**
   * A job far past its timeout means its worker no longer enforces it: treat the worker as lost.
   */
  private void stopHungWorkers() {
    for (Job job : timed(() -> jobs.findOverdue(settings.heartbeatTimeout().toMillis()))) {
      lifecycle.lost(
          job.workerId(),
          "job " + job.id() + " ran past its timeout of " + job.timeoutMs() + " ms");
    }
  }

  /** A worker that ended moments ago may still be finishing its exit: not an orphan yet. */
  private boolean stillExiting(UUID workerId, Instant now) {
    return workers
        .findById(workerId)
        .map(
            w -> w.stoppedAt() != null && w.stoppedAt().plus(settings.shutdownGrace()).isAfter(now))
        .orElse(false);
  }

  /** Re-sends with the same message id: if the first send did arrive, the broker drops this one. */
  private void resendStalledDispatches(Instant now) {
    for (Job job : timed(() -> jobs.findDispatchedBefore(now.minus(settings.redispatchAfter())))) {
      WorkerInstance worker = workers.findById(job.workerId()).orElse(null);
      if (worker == null || worker.state() != WorkerState.READY) {
        continue;
      }
      tenants
          .findById(job.tenantId())
          .ifPresent(
              tenant -> {
                LOG.info("re-sending dispatched job={} attempt={}", job.id(), job.attempts());
                fleet.sendJob(job, worker.id(), tenant.name());
              });
    }
  }

  private void routeWaitingJobs() {
    try {
      timed(jobs::findTenantsWithDispatchableJobs).forEach(dispatcher::request);
    } catch (RuntimeException e) {
      outages.failed(e);
      LOG.warn("routing sweep failed: {}", e.toString());
    }
  }

  /** A read whose slowness tells of a database stall (see {@link DatabaseOutages}). */
  private <T> T timed(java.util.function.Supplier<T> read) {
    Instant start = clock.instant();
    T result = read.get();
    outages.succeeded(start);
    return result;
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /** No more passes (the conductor is stopping); a pass under way ends first. */
  @PreDestroy
  public void stop() {
    timer.shutdown();
    try {
      if (!timer.awaitTermination(PASS_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      timer.shutdownNow();
    }
  }
}
