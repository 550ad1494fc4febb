package dev.conductor.workers;

import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.plan.Plans;
import dev.conductor.routing.Dispatcher;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves workers along STARTING → READY → DRAINING → STOPPED (any → LOST). Each transition is a
 * transaction under the worker's row lock; its effects (teardown schedule, shutdown, subscription
 * removal, re-routing) follow after commit. A worker with work in flight is never drained by a
 * teardown: the in-flight count is read under the same lock that dispatch takes.
 */
@Singleton
public class WorkerLifecycle {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLifecycle.class);

  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final Plans plans;
  private final WorkerFleet fleet;
  private final Dispatcher dispatcher;
  private final TransactionOperations<Connection> tx;
  private final Clock clock;
  private volatile boolean conductorStopping;

  WorkerLifecycle(
      WorkerRepository workers,
      JobRepository jobs,
      TenantRepository tenants,
      Plans plans,
      WorkerFleet fleet,
      Dispatcher dispatcher,
      TransactionOperations<Connection> tx,
      Clock clock) {
    this.workers = workers;
    this.jobs = jobs;
    this.tenants = tenants;
    this.plans = plans;
    this.fleet = fleet;
    this.dispatcher = dispatcher;
    this.tx = tx;
    this.clock = clock;
  }

  /** The worker subscribed and said ready: route its key's waiting jobs to it. */
  public void ready(UUID workerId) {
    Optional<WorkerInstance> ready =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || workers.markReady(workerId, clock.instant()) != 1) {
                return Optional.<WorkerInstance>empty();
              }
              return Optional.of(worker);
            });
    ready.ifPresent(
        worker -> {
          LOG.info("worker ready worker={} affinityKey={}", workerId, worker.affinityKey());
          // markReady bumped the generation of the locked row.
          scheduleTeardown(worker, worker.generation() + 1);
          dispatcher.request(worker.tenantId());
        });
  }

  public void heartbeat(UUID workerId) {
    workers.heartbeat(workerId, clock.instant());
  }

  /**
   * After a job of this worker ended: an idle READY worker gets a fresh teardown; an idle DRAINING
   * one is told to stop.
   */
  public void jobEnded(UUID workerId) {
    record Idle(WorkerInstance worker, boolean draining) {}
    Optional<Idle> idle =
        tx.executeWrite(
            status -> {
              WorkerInstance worker = workers.lockById(workerId).orElse(null);
              if (worker == null || jobs.hasInFlight(workerId)) {
                return Optional.<Idle>empty();
              }
              if (worker.state() == WorkerState.DRAINING) {
                return Optional.of(new Idle(worker, true));
              }
              if (worker.state() != WorkerState.READY) {
                return Optional.<Idle>empty();
              }
              workers.bumpGeneration(workerId, clock.instant());
              return Optional.of(new Idle(worker, false));
            });
    idle.ifPresent(
        it -> {
          if (it.draining()) {
            fleet.shutdown(it.worker(), tenantName(it.worker()));
          } else {
            // The generation bumped under the lock.
            scheduleTeardown(it.worker(), it.worker().generation() + 1);
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
              if (worker == null
                  || worker.state() != WorkerState.READY
                  || worker.generation() != generation
                  || jobs.hasInFlight(workerId)) {
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
    fleet.shutdown(draining.get(), tenantName(draining.get()));
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

  /** The worker's process ended: expected if DRAINING, a loss otherwise. */
  public void exited(UUID workerId) {
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
      lost(workerId, "process exited unexpectedly");
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
    stopping.forEach(fleet::kill);
    Instant deadline = clock.instant().plus(wait);
    for (WorkerInstance worker : stopping) {
      while (fleet.isRunning(worker) && clock.instant().isBefore(deadline)) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
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
          fleet.kill(worker);
          fleet.removeSubscription(workerId, tenantName(worker));
          dispatcher.request(worker.tenantId());
        });
  }

  private void scheduleTeardown(WorkerInstance worker, long generation) {
    Tenant tenant = tenants.findById(worker.tenantId()).orElseThrow();
    fleet.scheduleTeardown(
        worker.id(),
        tenant.name(),
        generation,
        plans.require(tenant.plan()).idleTimeout(),
        worker.teardownToken());
  }

  private String tenantName(WorkerInstance worker) {
    return tenants.findById(worker.tenantId()).map(Tenant::name).orElseThrow();
  }
}
