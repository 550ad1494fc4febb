package dev.conductor.operation;

import dev.conductor.Threads;
import dev.conductor.control.ControlListeners;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.tenant.TenantLifecycle;
import dev.conductor.workers.WorkerLifecycle;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs provisioning operations from the database: claims one when a slot is free, renews its lease
 * while the provisioner works, and records the outcome. Nothing lives only in memory: a conductor
 * that dies mid-operation loses its lease and another (or its restart) resumes the operation.
 */
@Context
public class OperationExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(OperationExecutor.class);

  private final OperationLease lease;
  private final OperationLog log;
  private final TenantLifecycle lifecycle;
  private final WorkerLifecycle workerLifecycle;
  private final Provider<ControlListeners> controlListeners;
  private final Provisioner provisioner;
  private final OperationSettings settings;
  private final Clock clock;
  private final String owner = "conductor-" + UUID.randomUUID();
  private final Semaphore slots;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;

  OperationExecutor(
      OperationLease lease,
      OperationLog log,
      TenantLifecycle lifecycle,
      WorkerLifecycle workerLifecycle,
      Provider<ControlListeners> controlListeners,
      Provisioner provisioner,
      OperationSettings settings,
      Clock clock) {
    this.lease = lease;
    this.log = log;
    this.lifecycle = lifecycle;
    this.workerLifecycle = workerLifecycle;
    this.controlListeners = controlListeners;
    this.provisioner = provisioner;
    this.settings = settings;
    this.clock = clock;
    this.slots = new Semaphore(settings.maxConcurrent());
    this.timer = Executors.newScheduledThreadPool(1, Threads.daemon("operations-timer"));
    this.workers =
        Executors.newFixedThreadPool(settings.maxConcurrent(), Threads.daemon("operations"));
    long poll = settings.pollInterval().toMillis();
    timer.scheduleWithFixedDelay(this::poll, poll, poll, TimeUnit.MILLISECONDS);
    LOG.info(
        "operation executor started owner={} maxConcurrent={}", owner, settings.maxConcurrent());
  }

  /** Claims operations while slots are free; called on a timer and when new work is queued. */
  public void poll() {
    try {
      while (slots.tryAcquire()) {
        Optional<Claim> claim = lease.claimNext(owner, settings.lease());
        if (claim.isEmpty()) {
          slots.release();
          return;
        }
        workers.execute(() -> runAndRelease(claim.get()));
      }
    } catch (RuntimeException e) {
      LOG.warn("operation poll failed: {}", e.toString());
    }
  }

  /** Wakes the executor now instead of at the next poll. */
  public void wake() {
    timer.execute(this::poll);
  }

  private void runAndRelease(Claim claim) {
    Duration renewEvery = settings.lease().dividedBy(3);
    ScheduledFuture<?> heartbeat =
        timer.scheduleWithFixedDelay(
            () -> renew(claim),
            renewEvery.toMillis(),
            renewEvery.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      run(claim);
    } finally {
      heartbeat.cancel(false);
      slots.release();
      wake();
    }
  }

  private void renew(Claim claim) {
    try {
      if (!lease.renew(claim.operationId(), owner, settings.lease())) {
        LOG.warn("operation={} lease lost to another conductor", claim.operationId());
      }
    } catch (RuntimeException e) {
      LOG.warn("operation={} lease renewal failed: {}", claim.operationId(), e.toString());
    }
  }

  private void run(Claim claim) {
    UUID id = claim.operationId();
    try {
      log.info(
          id,
          claim.kind().name().toLowerCase()
              + " attempt "
              + claim.attempt()
              + " by "
              + provisioner.kind()
              + " provisioner");
      var spec = lifecycle.specFor(claim.tenantId());
      var progress = log.listener(id, settings.stepDelay());
      switch (claim.kind()) {
        case PROVISION -> {
          var resources = provisioner.provision(spec, progress);
          lifecycle.provisioned(claim, owner, resources);
          log.info(id, "tenant " + spec.name() + " is READY");
        }
        case DEPROVISION -> {
          progress.info("stopping workers and cancelling unfinished jobs");
          workerLifecycle.stopAllOf(claim.tenantId(), Duration.ofSeconds(30));
          controlListeners.get().forget(claim.tenantId());
          provisioner.deprovision(spec, progress);
          lifecycle.deprovisioned(claim, owner);
          log.info(id, "tenant " + spec.name() + " is DELETED");
        }
      }
    } catch (ProvisioningException e) {
      if (e.isRetryable() && claim.attempt() < settings.maxAttempts()) {
        Duration backoff = Duration.ofSeconds(1L << Math.min(claim.attempt(), 6));
        log.warn(id, e.getMessage() + "; retrying in " + backoff.toSeconds() + "s");
        lease.requeue(id, owner, clock.instant().plus(backoff), e.getMessage());
      } else {
        fail(claim, e.getMessage());
      }
    } catch (RuntimeException e) {
      LOG.error("operation={} failed unexpectedly", id, e);
      fail(claim, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void fail(Claim claim, String reason) {
    log.error(claim.operationId(), claim.kind().name().toLowerCase() + " failed: " + reason);
    lifecycle.failed(claim, owner, reason);
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
