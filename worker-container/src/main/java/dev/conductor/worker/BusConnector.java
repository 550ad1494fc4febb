package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;

/** Opens the worker's connection to the bus; a seam for adapters other than Artemis. */
@FunctionalInterface
public interface BusConnector {
  BusConnector ARTEMIS =
      settings ->
          ArtemisMessageBus.connect(settings.busUrl(), settings.busUser(), settings.busPassword());

  MessageBus connect(WorkerSettings settings);
}
