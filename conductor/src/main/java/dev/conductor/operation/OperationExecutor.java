package dev.conductor.operation;

import dev.conductor.Threads;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.provisioning.ProvisioningCancelledException;
import dev.conductor.provisioning.ProvisioningException;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
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
 * while the provisioner works (learning on each renewal whether a cancel was requested), and
 * records the outcome. Nothing lives only in memory: a conductor that dies mid-operation loses its
 * lease and another (or its restart) resumes the operation.
 */
@Context
public class OperationExecutor {
  private static final Logger LOG = LoggerFactory.getLogger(OperationExecutor.class);

  private final OperationLease lease;
  private final OperationLog log;
  private final OperationWork steps;
  private final OperationSettings settings;
  private final Clock clock;
  private final String owner = "conductor-" + UUID.randomUUID();
  private final Semaphore slots;
  private final ScheduledExecutorService timer;
  private final ExecutorService workers;

  OperationExecutor(
      OperationLease lease,
      OperationLog log,
      OperationWork steps,
      OperationSettings settings,
      Clock clock) {
    this.lease = lease;
    this.log = log;
    this.steps = steps;
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
    CancelToken cancel = new CancelToken(Thread.currentThread());
    Duration renewEvery = settings.lease().dividedBy(3);
    ScheduledFuture<?> heartbeat =
        timer.scheduleWithFixedDelay(
            () -> renew(claim, cancel),
            renewEvery.toMillis(),
            renewEvery.toMillis(),
            TimeUnit.MILLISECONDS);
    try {
      run(claim, cancel);
    } finally {
      heartbeat.cancel(false);
      slots.release();
      wake();
    }
  }

  /** Cancel requests reach the conductor holding the lease here, whichever replica took them. */
  private void renew(Claim claim, CancelToken cancel) {
    try {
      switch (lease.renew(claim.operationId(), owner, settings.lease())) {
        case HELD -> {}
        case CANCEL_REQUESTED -> cancel.request();
        case LOST -> {
          LOG.warn("operation={} lease lost to another conductor; stopping", claim.operationId());
          cancel.abandon();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("operation={} lease renewal failed: {}", claim.operationId(), e.toString());
    }
  }

  private void run(Claim claim, CancelToken cancel) {
    UUID id = claim.operationId();
    try {
      if (claim.cancelRequested()) {
        // Cancelled while requeued after a retryable failure, or under a conductor that died.
        cancel.request();
      }
      cancel.checkpoint();
      log.info(
          id,
          claim.kind().name().toLowerCase()
              + " attempt "
              + claim.attempt()
              + " by "
              + steps.provisionerKind()
              + " provisioner");
      steps.run(claim, owner, cancel);
    } catch (RuntimeException e) {
      if (cancel.abandoned()) {
        // Its new owner records the outcome; anything written here would be refused anyway.
        LOG.info("operation={} stopped: its lease is held by another conductor", id);
      } else {
        ended(claim, cancel, e);
      }
    }
  }

  private void ended(Claim claim, CancelToken cancel, RuntimeException e) {
    UUID id = claim.operationId();
    if (cancel.requested()) {
      // The interrupt may surface as a failed step (a bus call that was waiting) rather than at a
      // safe point; either way the operator asked for the stop.
      cancelled(claim);
    } else if (e instanceof ProvisioningCancelledException) {
      // Interrupted by this conductor stopping: the lease runs out and a conductor resumes it.
      LOG.info("operation={} interrupted by shutdown; resumed once its lease runs out", id);
    } else if (e instanceof ProvisioningException failure) {
      if (failure.isRetryable() && claim.attempt() < settings.maxAttempts()) {
        Duration backoff = Duration.ofSeconds(1L << Math.min(claim.attempt(), 6));
        log.warn(id, failure.getMessage() + "; retrying in " + backoff.toSeconds() + "s");
        lease.requeue(id, owner, clock.instant().plus(backoff), failure.getMessage());
      } else {
        fail(claim, failure.getMessage());
      }
    } else {
      LOG.error("operation={} failed unexpectedly", id, e);
      fail(claim, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void cancelled(Claim claim) {
    log.warn(claim.operationId(), claim.kind().name().toLowerCase() + " cancelled by operator");
    steps.cancelled(claim, owner);
  }

  private void fail(Claim claim, String reason) {
    log.error(claim.operationId(), claim.kind().name().toLowerCase() + " failed: " + reason);
    steps.failed(claim, owner, reason);
  }

  /** A poll under way ends first (interrupting it mid-query would log a failure on every stop). */
  @PreDestroy
  void stop() {
    timer.shutdown();
    try {
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    timer.shutdownNow();
    workers.shutdownNow();
  }
}
