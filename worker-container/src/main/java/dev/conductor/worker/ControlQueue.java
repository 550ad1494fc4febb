package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;

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
}
