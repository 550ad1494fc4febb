package dev.conductor.fleet;

import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.RoutingRequests;
import dev.conductor.metrics.JobMetrics;
import dev.conductor.metrics.WorkerMetrics;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.replica.ReplicaLease;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Named;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the worker state machine: STARTING → READY → DRAINING → STOPPED, any → LOST.
 * Every transition is a conditional update of the worker's row (generations come back from the
 * database); its effects (process, subscription, teardown schedule, shutdown, re-routing) follow
 * after commit. A worker with work in flight is never drained by a teardown: the in-flight check
 * runs under the row lock that routing takes too.
 *
 * <p>Idle teardown: one teardown message is armed per worker at a time (at ready, and when it goes
 * idle with none armed), never cancelled. Dispatching arms nothing; a teardown that finds its
 * worker busy disarms, one that finds it idle for less than the idle timeout re-arms itself for the
 * rest, and only the armed generation acts (see {@link WorkerInstance#onTeardown}).
 */
@Singleton
public class WorkerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);
  // A scheduled teardown arrives within milliseconds of its time; this late, it was never sent.
  private static final Duration TEARDOWN_OVERDUE = Duration.ofSeconds(30);

  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final Plans plans;
  private final WorkerLauncher launcher;
  private final WorkerMessages messages;
  private final Provider<RoutingRequests> routing;
  private final TaskScheduler scheduler;
  private final FleetSettings settings;
  private final WorkerMetrics metrics;
  private final JobMetrics jobMetrics;
  private final TransactionOperations<Connection> tx;
  private final ReplicaLease replica;
  private final Clock clock;
  private volatile boolean conductorStopping;

  WorkerLifecycle(
      WorkerRepository workers,
      JobRepository jobs,
      TenantRepository tenants,
      Plans plans,
      WorkerLauncher launcher,
      WorkerMessages messages,
      Provider<RoutingRequests> routing,
      @Named(TaskExecutors.SCHEDULED) TaskScheduler scheduler,
      FleetSettings settings,
      WorkerMetrics metrics,
      JobMetrics jobMetrics,
      TransactionOperations<Connection> tx,
      ReplicaLease replica,
      Clock clock) {
    this.workers = workers;
    this.jobs = jobs;
    this.tenants = tenants;
    this.plans = plans;
    this.launcher = launcher;
    this.messages = messages;
    this.routing = routing;
    this.scheduler = scheduler;
    this.settings = settings;
    this.metrics = metrics;
    this.jobMetrics = jobMetrics;
    this.tx = tx;
    this.replica = replica;
    this.clock = clock;
  }

  /**
   * A new STARTING worker owned by this replica, inside the caller's (routing's) transaction;
   * {@link #launch} starts its process after commit, on this replica.
   */
  public WorkerInstance register(UUID tenantId, String affinityKey, String location, int capacity) {
    WorkerInstance worker =
        WorkerInstance.starting(
            tenantId, affinityKey, location, capacity, clock.instant(), replica.id());
    workers.save(worker);
    return worker;
  }

  /**
   * Starts a registered worker's process; its exit is noticed at once rather than at the next
   * reconcile. A worker that cannot start is LOST (and counts towards the crash-loop guard).
   */
  public void launch(WorkerInstance worker, String tenant, Plan plan) {
    try {
      WorkerLauncher.Started started = launcher.launch(worker, tenant, plan);
      workers.recordRuntimeRef(
          worker.id(), started.runtime(), started.runtimeRef(), started.egressAddress());
      started
          .exit()
          .thenAccept(how -> exited(worker.id(), how instanceof WorkerExit exit ? exit : null));
      metrics.launched(tenant, started.runtime());
      LOG.info(
          "worker starting worker={} tenant={} affinityKey={} location={} runtime={} ref={}"
              + " egress={}",
          worker.id(),
          tenant,
          worker.affinityKey(),
          worker.location(),
          started.runtime(),
          started.runtimeRef(),
          started.egressAddress());
    } catch (RuntimeException e) {
      LOG.error("worker start failed worker={} tenant={}", worker.id(), tenant, e);
      lost(worker.id(), "failed to start: " + e.getMessage());
    }
  }

  /** The worker subscribed and said ready: its first teardown, and its key's waiting jobs. */
  public void ready(UUID workerId) {
    Optional<Armed> ready =
        tx.executeWrite(
            status ->
                workers
                    .lockById(workerId)
                    .flatMap(
                        worker -> {
                          Tenant tenant = tenantOf(worker);
                          Instant now = clock.instant();
                          Instant due = now.plus(idleTimeout(tenant));
                          return workers
                              .markReady(workerId, now, due)
                              .map(
                                  g -> {
                                    metrics.ready(
                                        tenant.name(),
                                        worker.runtime(),
                                        Duration.between(worker.startedAt(), now));
                                    return new Armed(worker.withGeneration(g), tenant.name(), due);
                                  });
                        }));
    ready.ifPresent(
        armed -> {
          LOG.info("worker ready worker={} affinityKey={}", workerId, armed.worker().affinityKey());
          schedule(armed);
          routing.get().request(armed.worker().tenantId());
        });
  }

  public void heartbeat(UUID workerId) {
    workers.heartbeat(workerId, clock.instant());
  }

  /**
   * After a job of this worker ended. While other jobs are in flight that is one EXISTS and no
   * lock; once idle: a READY worker records the activity and, with no teardown armed, arms one; a
   * DRAINING one is told to stop.
   */
  public void jobEnded(UUID workerId) {
    if (jobs.hasInFlight(workerId)) {
      return;
    }
    Optional<Idle> idle =
        tx.executeWrite(
            status -> {
              // Locked, so that a teardown deciding on this worker meanwhile is seen.
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || jobs.hasInFlight(workerId)) {
                return Optional.<Idle>empty();
              }
              Instant now = clock.instant();
              return switch (worker.state()) {
                case DRAINING -> Optional.of(new Idle(worker, null));
                case READY -> {
                  if (worker.teardownDueAt() != null) {
                    workers.recordActivity(List.of(workerId), now);
                    yield Optional.<Idle>empty();
                  }
                  Tenant tenant = tenantOf(worker);
                  Instant due = now.plus(idleTimeout(tenant));
                  yield workers
                      .armTeardown(workerId, now, due)
                      .map(
                          g ->
                              new Idle(
                                  worker, new Armed(worker.withGeneration(g), tenant.name(), due)));
                }
                default -> Optional.<Idle>empty();
              };
            });
    idle.ifPresent(
        worker -> {
          if (worker.armed() != null) {
            schedule(worker.armed());
          } else {
            stopGently(worker.worker());
          }
        });
  }

  /**
   * A teardown message came due (or the reconciler found it overdue). Only the armed generation of
   * an idle READY worker acts: it drains the worker, or re-arms for the rest of the idle timeout;
   * stale, duplicated or reordered teardowns are dropped, and one finding the worker busy disarms.
   */
  public void teardown(UUID workerId, long generation) {
    Optional<Idle> acted =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || worker.state() != WorkerState.READY) {
                return Optional.<Idle>empty();
              }
              Tenant tenant = tenantOf(worker);
              Duration idle = idleTimeout(tenant);
              Instant now = clock.instant();
              Instant armedFor = worker.teardownDueAt();
              if (armedFor != null && worker.generation() == generation) {
                metrics.teardownArrived(Duration.between(armedFor, now));
              }
              return switch (worker.onTeardown(generation, jobs.hasInFlight(workerId), idle, now)) {
                case DROP -> Optional.<Idle>empty();
                case DISARM -> {
                  workers.disarmTeardown(workerId);
                  yield Optional.<Idle>empty();
                }
                case REARM -> {
                  Instant due = worker.lastActivityAt().plus(idle);
                  yield workers
                      .armTeardown(workerId, worker.lastActivityAt(), due)
                      .map(
                          g ->
                              new Idle(
                                  worker, new Armed(worker.withGeneration(g), tenant.name(), due)));
                }
                case DRAIN -> {
                  workers.markDraining(workerId, "idle");
                  yield Optional.of(new Idle(worker, null));
                }
              };
            });
    if (acted.isEmpty()) {
      LOG.debug("teardown dropped worker={} generation={}", workerId, generation);
      return;
    }
    Armed rearmed = acted.get().armed();
    if (rearmed != null) {
      LOG.debug("teardown early, re-armed worker={} due={}", workerId, rearmed.due());
      schedule(rearmed);
      return;
    }
    LOG.info("worker idle, tearing down worker={} generation={}", workerId, generation);
    stopGently(acted.get().worker());
  }

  /**
   * The reconciler's safety net for a READY worker (as it was read): a teardown armed long past due
   * was never sent (a failed send, a crash before it), so it acts now; with none armed, the worker
   * may have gone idle without arming one (a failure then), so that is checked again.
   */
  void settleIdle(WorkerInstance worker, Instant now) {
    Instant due = worker.teardownDueAt();
    if (due == null) {
      jobEnded(worker.id());
    } else if (due.plus(TEARDOWN_OVERDUE).isBefore(now)) {
      teardown(worker.id(), worker.generation());
    }
  }

  /** A teardown armed in the database, to send after commit. */
  private record Armed(WorkerInstance worker, String tenant, Instant due) {}

  /** An idle worker: a teardown to send, or (none) one to stop. */
  private record Idle(WorkerInstance worker, @Nullable Armed armed) {}

  /** The operator asked to drain: no new jobs; stop once in-flight jobs end. */
  public WorkerInstance drain(UUID workerId) {
    workers.markDraining(workerId, "drained by operator");
    jobEnded(workerId);
    return workers.findById(workerId).orElseThrow();
  }

  /**
   * From now on a worker's exit is expected: the conductor stops its workers, and the reports of
   * their last jobs may still be on their way (ending the worker now would re-queue those jobs).
   */
  void conductorStopping() {
    conductorStopping = true;
  }

  /** The stopping conductor drains this worker: no new jobs for it. */
  void drainForStop(UUID workerId) {
    workers.markDraining(workerId, "conductor stopping");
  }

  /** The worker's process ended: expected if DRAINING, a loss otherwise. */
  public void exited(UUID workerId) {
    exited(workerId, null);
  }

  /** As above, with how it ended where the runtime tells (exit code, OOMKilled). */
  void exited(UUID workerId, @Nullable WorkerExit how) {
    if (conductorStopping) {
      return;
    }
    WorkerInstance worker = workers.findById(workerId).orElse(null);
    if (worker == null || !worker.state().live()) {
      return;
    }
    if (worker.state() == WorkerState.DRAINING) {
      end(workerId, WorkerState.STOPPED, "stopped");
    } else {
      lost(
          workerId,
          how == null ? "process exited unexpectedly" : "process exited unexpectedly: " + how);
    }
  }

  /**
   * An adopted worker whose process no replica can judge any more (its owner died): ended as if it
   * exited (STOPPED if it was draining, LOST otherwise) and fenced, its jobs re-queued.
   */
  void abandoned(UUID workerId, String reason) {
    WorkerInstance worker = workers.findById(workerId).orElse(null);
    if (worker == null || !worker.state().live()) {
      return;
    }
    if (worker.state() == WorkerState.DRAINING) {
      end(workerId, WorkerState.STOPPED, reason);
    } else {
      lost(workerId, reason);
    }
  }

  /** The worker reported it is exiting. */
  public void stopped(UUID workerId) {
    end(workerId, WorkerState.STOPPED, "stopped");
  }

  /**
   * Marks the worker LOST and fences it: its in-flight jobs are re-queued in the same transaction
   * (so its late reports, conditional on the job's attempt and worker, change nothing), then it is
   * told to stop and its process is killed where this replica can, before routing runs its jobs
   * again.
   */
  public void lost(UUID workerId, String reason) {
    LOG.warn("worker lost worker={} reason={}", workerId, reason);
    end(workerId, WorkerState.LOST, reason);
  }

  /**
   * Offboarding: cancels the tenant's unfinished jobs, stops its workers and waits (bounded) for
   * their processes to end, so that no worker outlives its tenant's resources.
   */
  public void stopAllOf(UUID tenantId, Duration wait) {
    List<WorkerInstance> stopping =
        tx.executeWrite(
            status -> {
              Instant now = clock.instant();
              jobs.cancelAllOf(tenantId, "tenant offboarded", now);
              List<WorkerInstance> live = workers.findLive(tenantId);
              live.forEach(
                  w ->
                      workers.markEnded(
                          w.id(), WorkerState.STOPPED.name(), "tenant offboarded", now));
              return live;
            });
    CompletableFuture<?>[] exits =
        stopping.stream().map(launcher::kill).toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(exits).get(wait.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      LOG.warn("workers of tenant={} still running after {} s", tenantId, wait.toSeconds());
    } catch (ExecutionException e) {
      LOG.warn("waiting for the workers of tenant={} failed", tenantId, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void end(UUID workerId, WorkerState state, String reason) {
    List<Job> failed = new ArrayList<>();
    Optional<WorkerInstance> ended =
        tx.executeWrite(
            status -> {
              failed.clear();
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              Instant now = clock.instant();
              if (worker == null || workers.markEnded(workerId, state.name(), reason, now) != 1) {
                return Optional.<WorkerInstance>empty();
              }
              for (Job job : jobs.findInFlight(workerId)) {
                String error = "worker " + workerId + " " + reason;
                if (jobs.requeueOrFail(job, true, error, error + "; attempts exhausted", now, now)
                    == JobRepository.AttemptEnd.FAILED) {
                  failed.add(job);
                }
              }
              return Optional.of(worker);
            });
    ended.ifPresent(
        worker -> {
          if (!failed.isEmpty()) {
            String tenant = tenantName(worker);
            Instant now = clock.instant();
            for (Job job : failed) {
              Instant started = job.startedAt();
              jobMetrics.finished(
                  tenant,
                  job.type(),
                  "FAILED",
                  started == null ? null : Duration.between(started, now));
            }
          }
          String tenant = tenantName(worker);
          if (state == WorkerState.LOST) {
            // A LOST worker may still run (silent, or another replica's process): told to stop,
            // and its subscription kept until then so that the stop reaches it.
            messages.shutdown(workerId, tenant);
            launcher.kill(worker);
            scheduler.schedule(
                settings.shutdownGrace(), () -> messages.removeSubscription(workerId, tenant));
          } else {
            launcher.kill(worker);
            messages.removeSubscription(workerId, tenant);
          }
          routing.get().request(worker.tenantId());
        });
  }

  /** Tells the worker to stop, and makes sure its process ends after the grace period. */
  private void stopGently(WorkerInstance worker) {
    messages.shutdown(worker.id(), tenantName(worker));
    if (worker.runtimeRef() != null) {
      scheduler.schedule(settings.shutdownGrace(), () -> launcher.kill(worker));
    }
  }

  /**
   * Sends an armed teardown. If it cannot be sent, it stays armed and the reconciler acts on it
   * once overdue.
   */
  private void schedule(Armed armed) {
    WorkerInstance worker = armed.worker();
    try {
      messages.scheduleTeardown(worker.id(), armed.tenant(), worker.generation(), armed.due());
    } catch (RuntimeException e) {
      LOG.warn(
          "teardown not scheduled worker={}; the reconciler acts once it is overdue",
          worker.id(),
          e);
    }
  }

  private Tenant tenantOf(WorkerInstance worker) {
    return tenants.findById(worker.tenantId()).orElseThrow();
  }

  private Duration idleTimeout(Tenant tenant) {
    return plans.require(tenant.plan()).idleTimeout();
  }

  private String tenantName(WorkerInstance worker) {
    return tenants.findById(worker.tenantId()).map(Tenant::name).orElseThrow();
  }
}
