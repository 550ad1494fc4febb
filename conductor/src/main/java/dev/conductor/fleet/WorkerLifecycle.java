package dev.conductor.fleet;

import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.RoutingRequests;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
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
 */
@Singleton
public class WorkerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);

  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final Plans plans;
  private final WorkerLauncher launcher;
  private final WorkerMessages messages;
  private final Provider<RoutingRequests> routing;
  private final TaskScheduler scheduler;
  private final FleetSettings settings;
  private final TransactionOperations<Connection> tx;
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
      TransactionOperations<Connection> tx,
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
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * A new STARTING worker, inside the caller's (routing's) transaction; {@link #launch} starts its
   * process after commit.
   */
  public WorkerInstance register(UUID tenantId, String affinityKey, String location, int capacity) {
    WorkerInstance worker =
        WorkerInstance.starting(tenantId, affinityKey, location, capacity, clock.instant());
    workers.save(worker);
    return worker;
  }

  /**
   * The worker was handed jobs, inside routing's transaction that holds its row lock: teardowns
   * scheduled before are stale from now on. Returns the worker with its new generation.
   */
  public WorkerInstance assigned(WorkerInstance worker) {
    return workers
        .nextGeneration(worker.id(), clock.instant())
        .map(worker::withGeneration)
        .orElseThrow(() -> new IllegalStateException("worker " + worker.id() + " has ended"));
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

  /**
   * Schedules teardown(worker, generation) after the plan's idle timeout, replacing {@code
   * previousToken}'s, and records it.
   */
  public void scheduleTeardown(
      UUID workerId,
      String tenant,
      long generation,
      Duration idle,
      @Nullable String previousToken) {
    String token = messages.scheduleTeardown(workerId, tenant, generation, idle, previousToken);
    workers.recordTeardown(workerId, generation, token);
  }

  /** The worker subscribed and said ready: its first teardown, and its key's waiting jobs. */
  public void ready(UUID workerId) {
    Optional<WorkerInstance> ready =
        tx.executeWrite(
            status ->
                workers
                    .lockById(workerId)
                    .flatMap(
                        worker ->
                            workers
                                .markReady(workerId, clock.instant())
                                .map(worker::withGeneration)));
    ready.ifPresent(
        worker -> {
          LOG.info("worker ready worker={} affinityKey={}", workerId, worker.affinityKey());
          scheduleIdleTeardown(worker);
          routing.get().request(worker.tenantId());
        });
  }

  public void heartbeat(UUID workerId) {
    workers.heartbeat(workerId, clock.instant());
  }

  /**
   * After a job of this worker ended: an idle READY worker gets a new generation and a fresh
   * teardown; an idle DRAINING one is told to stop.
   */
  public void jobEnded(UUID workerId) {
    Optional<WorkerInstance> idle =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || jobs.hasInFlight(workerId)) {
                return Optional.<WorkerInstance>empty();
              }
              return switch (worker.state()) {
                case DRAINING -> Optional.of(worker);
                case READY ->
                    workers.nextGeneration(workerId, clock.instant()).map(worker::withGeneration);
                default -> Optional.<WorkerInstance>empty();
              };
            });
    idle.ifPresent(
        worker -> {
          if (worker.state() == WorkerState.DRAINING) {
            stopGently(worker);
          } else {
            scheduleIdleTeardown(worker);
          }
        });
  }

  /**
   * A teardown message came due. Only the current generation of an idle READY worker drains it;
   * stale, duplicated or reordered teardowns are dropped.
   */
  public void teardown(UUID workerId, long generation) {
    Optional<WorkerInstance> draining =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || !worker.idleFor(generation, jobs.hasInFlight(workerId))) {
                return Optional.<WorkerInstance>empty();
              }
              workers.markDraining(workerId, "idle");
              return Optional.of(worker);
            });
    if (draining.isEmpty()) {
      LOG.debug("teardown dropped worker={} generation={}", workerId, generation);
      return;
    }
    LOG.info("worker idle, tearing down worker={} generation={}", workerId, generation);
    stopGently(draining.get());
  }

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

  /** The worker reported it is exiting. */
  public void stopped(UUID workerId) {
    end(workerId, WorkerState.STOPPED, "stopped");
  }

  /** Marks the worker LOST, stops whatever is left of it and re-queues its jobs. */
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
    Optional<WorkerInstance> ended =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              Instant now = clock.instant();
              if (worker == null || workers.markEnded(workerId, state.name(), reason, now) != 1) {
                return Optional.<WorkerInstance>empty();
              }
              for (Job job : jobs.findInFlight(workerId)) {
                String error = "worker " + workerId + " " + reason;
                jobs.requeueOrFail(job, true, error, error + "; attempts exhausted", now, now);
              }
              return Optional.of(worker);
            });
    ended.ifPresent(
        worker -> {
          launcher.kill(worker);
          messages.removeSubscription(workerId, tenantName(worker));
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

  private void scheduleIdleTeardown(WorkerInstance worker) {
    Tenant tenant = tenants.findById(worker.tenantId()).orElseThrow();
    scheduleTeardown(
        worker.id(),
        tenant.name(),
        worker.generation(),
        plans.require(tenant.plan()).idleTimeout(),
        worker.teardownToken());
  }

  private String tenantName(WorkerInstance worker) {
    return tenants.findById(worker.tenantId()).map(Tenant::name).orElseThrow();
  }
}
