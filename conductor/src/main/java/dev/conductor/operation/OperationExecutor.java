package dev.conductor.operation;

import dev.conductor.messaging.time.Backoff;
import dev.conductor.metrics.OperationMetrics;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.provisioning.ProvisioningCancelledException;
import dev.conductor.provisioning.ProvisioningException;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.TaskScheduler;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
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
  private static final Backoff RETRY = new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(64));

  private final OperationLease lease;
  private final OperationLog log;
  private final OperationWork steps;
  private final OperationSettings settings;
  private final OperationMetrics metrics;
  private final Clock clock;
  private final String owner = "conductor-" + UUID.randomUUID();
  private final Semaphore slots;
  private final TaskScheduler timer;
  private final ExecutorService workers;
  private final Map<UUID, CancelToken> running = new ConcurrentHashMap<>();
  private boolean stopped;

  OperationExecutor(
      OperationLease lease,
      OperationLog log,
      OperationWork steps,
      OperationSettings settings,
      OperationMetrics metrics,
      Clock clock,
      TaskScheduler timer,
      // micronaut.executors.operations: conductor.operations.max-concurrent threads.
      @Named("operations") ExecutorService workers) {
    this.lease = lease;
    this.log = log;
    this.steps = steps;
    this.settings = settings;
    this.metrics = metrics;
    this.clock = clock;
    this.slots = new Semaphore(settings.maxConcurrent());
    this.timer = timer;
    this.workers = workers;
    LOG.info(
        "operation executor started owner={} maxConcurrent={}", owner, settings.maxConcurrent());
  }

  /** Claims operations while slots are free; called on a timer and when new work is queued. */
  @Scheduled(
      fixedDelay = "${conductor.operations.poll-interval}",
      initialDelay = "${conductor.operations.poll-interval}")
  public synchronized void poll() {
    while (!stopped && slots.tryAcquire()) {
      Optional<Claim> claim;
      try {
        claim = lease.claimNext(owner, settings.lease());
      } catch (RuntimeException e) {
        // The slot goes back: a slot kept per failed poll left none after a database restart.
        slots.release();
        LOG.warn("operation poll failed, the next one retries", e);
        return;
      }
      if (claim.isEmpty()) {
        slots.release();
        return;
      }
      workers.execute(() -> runAndRelease(claim.get()));
    }
  }

  /** Wakes the executor now instead of at the next poll. */
  public void wake() {
    timer.schedule(Duration.ZERO, this::poll);
  }

  private void runAndRelease(Claim claim) {
    CancelToken cancel = new CancelToken(Thread.currentThread());
    running.put(claim.operationId(), cancel);
    Duration renewEvery = settings.lease().dividedBy(3);
    ScheduledFuture<?> heartbeat =
        timer.scheduleWithFixedDelay(renewEvery, renewEvery, () -> renew(claim, cancel));
    try {
      synchronized (this) {
        if (stopped) {
          // Claimed just as the conductor began to stop: no step has run, so it goes back now.
          cancel.handBack();
        }
      }
      run(claim, cancel);
    } finally {
      running.remove(claim.operationId());
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
      LOG.warn("operation={} lease renewal failed", claim.operationId(), e);
    }
  }

  private void run(Claim claim, CancelToken cancel) {
    Instant began = clock.instant();
    String outcome = run(claim, cancel, claim.operationId());
    metrics.attemptEnded(claim.kind().name(), outcome, Duration.between(began, clock.instant()));
  }

  /** Runs one attempt; returns how it ended, as the operations metric labels it. */
  private String run(Claim claim, CancelToken cancel, UUID id) {
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
      return "SUCCEEDED";
    } catch (RuntimeException e) {
      if (cancel.abandoned()) {
        // Its new owner records the outcome; anything written here would be refused anyway.
        LOG.info("operation={} stopped: its lease is held by another conductor", id);
        return "ABANDONED";
      }
      if (cancel.handedBack() && !cancel.requested()) {
        return handBack(claim);
      }
      return ended(claim, cancel, e);
    }
  }

  private String ended(Claim claim, CancelToken cancel, RuntimeException e) {
    UUID id = claim.operationId();
    if (cancel.requested()) {
      // The interrupt may surface as a failed step (a bus call that was waiting) rather than at a
      // safe point; either way the operator asked for the stop.
      cancelled(claim);
      return "CANCELLED";
    } else if (e instanceof ProvisioningCancelledException) {
      // Interrupted by this conductor stopping: the lease runs out and a conductor resumes it.
      LOG.info("operation={} interrupted by shutdown; resumed once its lease runs out", id);
      return "INTERRUPTED";
    } else if (e instanceof ProvisioningException failure) {
      if (failure.isRetryable() && claim.attempt() < settings.maxAttempts()) {
        Duration backoff = RETRY.after(claim.attempt());
        log.warn(id, failure.getMessage() + "; retrying in " + backoff.toSeconds() + "s");
        lease.requeue(id, owner, clock.instant().plus(backoff), failure.getMessage());
        return "RETRIED";
      }
      fail(claim, failure.getMessage());
      return "FAILED";
    } else {
      LOG.error("operation={} failed unexpectedly", id, e);
      fail(claim, "internal error: " + e.getClass().getSimpleName());
      return "FAILED";
    }
  }

  private String handBack(Claim claim) {
    UUID id = claim.operationId();
    log.info(id, "handed back: this conductor is stopping; the next conductor to poll resumes it");
    if (!lease.handBack(id, owner)) {
      LOG.info("operation={} was no longer ours to hand back", id);
    }
    return "HANDED_BACK";
  }

  private void cancelled(Claim claim) {
    log.warn(claim.operationId(), claim.kind().name().toLowerCase() + " cancelled by operator");
    steps.cancelled(claim, owner);
  }

  private void fail(Claim claim, @Nullable String reason) {
    log.error(claim.operationId(), claim.kind().name().toLowerCase() + " failed: " + reason);
    steps.failed(claim, owner, reason);
  }

  /**
   * Drains: no new claims (a poll under way ends first: interrupting it mid-query would log a
   * failure on every stop); the operations running are handed back at their next safe point, within
   * {@code conductor.operations.stop-timeout}. One still inside an uninterruptible provisioner call
   * then is interrupted and resumed once its lease runs out, as after a crash.
   */
  @PreDestroy
  void stop() {
    synchronized (this) {
      stopped = true;
    }
    running.values().forEach(CancelToken::handBack);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn(
            "operations {} not handed back within {}; they resume once their leases run out",
            running.keySet(),
            settings.stopTimeout());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.shutdownNow();
  }
}
