package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import java.util.concurrent.CompletableFuture;

/** Where the worker tells the conductor what it does: ready, job reports, heartbeats, stopped. */
final class ControlQueue {
  private final MessageBus bus;
  private final String queue;

  ControlQueue(MessageBus bus, String queue) {
    this.bus = bus;
    this.queue = queue;
  }

  /** Throws {@link dev.conductor.messaging.BusException} if the message cannot be sent. */
  void send(Envelope envelope) {
    bus.send(queue, WireFormat.encode(envelope));
  }

  /**
   * Sends without waiting; the future completes once the broker has the report. Reports sent this
   * way from one thread arrive in their order.
   */
  CompletableFuture<Void> sendAsync(Envelope envelope) {
    return bus.sendAsync(queue, WireFormat.encode(envelope));
  }
}
