package dev.conductor.worker;

import static org.assertj.core.api.Assertions.fail;

import dev.conductor.messaging.MessageHandler;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.MessageType;
import dev.conductor.messaging.protocol.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * What the workers said on the control queue, in arrival order; tests wait for a message with a
 * bounded wait instead of sleeping.
 */
final class ControlMessages implements MessageHandler {
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final List<Envelope> received = new ArrayList<>();

  @Override
  public synchronized void handle(ReceivedMessage message) {
    received.add(WireFormat.decode(message));
    notifyAll();
  }

  synchronized List<Envelope> all() {
    return List.copyOf(received);
  }

  /** The first message matching, waiting for it if needed. */
  Envelope await(String what, Predicate<Envelope> matching) {
    return awaitFrom(0, what, matching);
  }

  /** The first message at or after position {@code from} matching. */
  synchronized Envelope awaitFrom(int from, String what, Predicate<Envelope> matching) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    int next = from;
    while (true) {
      for (; next < received.size(); next++) {
        if (matching.test(received.get(next))) {
          return received.get(next);
        }
      }
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return fail("no %s within %s; control queue had %s", what, PATIENCE, received);
      }
      try {
        wait(remainingMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return fail("interrupted while waiting for " + what);
      }
    }
  }

  Envelope awaitReady(String workerId) {
    return await("ready of " + workerId, is(MessageType.READY, workerId));
  }

  Envelope awaitStopped(String workerId) {
    return await("stopped of " + workerId, is(MessageType.STOPPED, workerId));
  }

  Envelope awaitReport(MessageType type, String jobId) {
    return await(type + " of job " + jobId, e -> e.type() == type && jobId.equals(e.jobId()));
  }

  synchronized int indexOf(Envelope envelope) {
    return received.indexOf(envelope);
  }

  List<Envelope> reportsOf(String jobId) {
    return all().stream().filter(e -> jobId.equals(e.jobId())).toList();
  }

  static Predicate<Envelope> is(MessageType type, String workerId) {
    return e -> e.type() == type && workerId.equals(e.workerId());
  }
}
