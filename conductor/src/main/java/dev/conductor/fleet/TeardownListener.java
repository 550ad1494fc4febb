package dev.conductor.fleet;

import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import io.micronaut.context.annotation.Context;
import jakarta.annotation.PreDestroy;
import java.util.UUID;

/**
 * Receives the scheduled teardown messages as they come due and hands each to {@link
 * WorkerLifecycle#teardown}, which drops stale ones.
 */
@Context
public class TeardownListener {
  private final WorkerLifecycle lifecycle;
  private final DatabaseOutages outages;
  private final Receiver receiver;
  private volatile boolean stopping;

  TeardownListener(MessageBus bus, WorkerLifecycle lifecycle, DatabaseOutages outages) {
    this.lifecycle = lifecycle;
    this.outages = outages;
    bus.createQueue(Topology.TEARDOWN_QUEUE, EntityOptions.DEFAULTS);
    this.receiver =
        bus.receive(Source.queue(Topology.TEARDOWN_QUEUE), new ReceiveOptions(2), this::onTeardown);
  }

  private void onTeardown(ReceivedMessage message) {
    Envelope teardown = WireFormat.decode(message);
    Long generation = teardown.generation();
    if (generation == null) {
      throw new IllegalArgumentException("teardown without a generation");
    }
    outages.recordThrough(
        () -> lifecycle.teardown(UUID.fromString(teardown.workerId()), generation), () -> stopping);
  }

  /** Stops receiving (the conductor is stopping); an unsettled teardown goes back to its queue. */
  @PreDestroy
  public synchronized void stop() {
    if (!stopping) {
      stopping = true;
      receiver.close();
    }
  }
}
