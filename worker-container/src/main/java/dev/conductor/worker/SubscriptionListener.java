package dev.conductor.worker;

import dev.conductor.messaging.MessageHandler;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Handles what arrives on the worker's own subscription: jobs go to the {@link JobRunner}, a
 * shutdown starts the drain, anything else is dead-lettered with the reason.
 *
 * <p>A job that arrives while draining is held unsettled until the receiver closes, which hands it
 * back to the subscription for the conductor to re-route. Abandoning it at once would have the
 * broker redeliver it straight to another idle slot of this worker, burning a delivery each time
 * until it lands in the dead-letter queue.
 */
final class SubscriptionListener implements MessageHandler {
  private static final Logger LOG = LoggerFactory.getLogger(SubscriptionListener.class);

  private final String workerId;
  private final WorkGate gate;
  private final JobRunner runner;
  private final Consumer<Duration> shutdownRequest;
  private final CountDownLatch receiverClosed = new CountDownLatch(1);
  private int held;

  SubscriptionListener(
      String workerId, WorkGate gate, JobRunner runner, Consumer<Duration> shutdownRequest) {
    this.workerId = workerId;
    this.gate = gate;
    this.runner = runner;
    this.shutdownRequest = shutdownRequest;
  }

  @Override
  public void handle(ReceivedMessage message) throws InterruptedException {
    Envelope envelope;
    try {
      envelope = WireFormat.decode(message);
    } catch (IllegalArgumentException e) {
      deadLetter(message, "undecodable message: " + e.getMessage());
      return;
    }
    if (!workerId.equals(envelope.workerId())) {
      // The subscription filter should make this impossible; never run another worker's job.
      deadLetter(
          message,
          envelope.type() + " for worker " + envelope.workerId() + " reached worker " + workerId);
      return;
    }
    switch (envelope.type()) {
      case JOB -> {
        String jobId = envelope.jobId();
        if (jobId == null) {
          deadLetter(message, "JOB without a jobId");
        } else {
          onJob(message, envelope, jobId);
        }
      }
      case SHUTDOWN -> onShutdown(message, envelope);
      default ->
          deadLetter(
              message, "unexpected " + envelope.type() + " message on a worker subscription");
    }
  }

  /** Releases held jobs; call once the receiver is closed and they are back on the subscription. */
  void receiverClosed() {
    receiverClosed.countDown();
  }

  synchronized int held() {
    return held;
  }

  private void onJob(ReceivedMessage message, Envelope job, String jobId)
      throws InterruptedException {
    if (!gate.tryEnter()) {
      hold(message, job);
      return;
    }
    try {
      runner.run(message, job, jobId);
    } finally {
      gate.exit();
    }
  }

  private void onShutdown(ReceivedMessage message, Envelope shutdown) {
    message.complete();
    Long graceMs = shutdown.graceMs();
    Duration grace = graceMs == null || graceMs < 0 ? null : Duration.ofMillis(graceMs);
    LOG.info("shutdown requested workerId={} graceMs={}", workerId, shutdown.graceMs());
    shutdownRequest.accept(grace);
  }

  private void hold(ReceivedMessage message, Envelope job) throws InterruptedException {
    LOG.info("job not started, worker is draining jobId={} attempt={}", job.jobId(), job.attempt());
    synchronized (this) {
      held++;
    }
    try {
      receiverClosed.await();
    } finally {
      synchronized (this) {
        held--;
      }
    }
    try {
      message.abandon();
    } catch (RuntimeException expected) {
      // Closing the receiver already handed the message back.
    }
  }

  private static void deadLetter(ReceivedMessage message, String reason) {
    LOG.warn("dead-lettering messageId={} reason=\"{}\"", message.messageId(), reason);
    message.deadLetter(reason);
  }
}
