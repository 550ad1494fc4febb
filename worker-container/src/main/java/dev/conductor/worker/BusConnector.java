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

  /**
   * Retries transient connection failures for up to {@code patience}: a worker may start while its
   * conductor's broker restarts. Refused credentials and other permanent errors fail at once.
   */
  static BusConnector retrying(BusConnector connector, java.time.Duration patience) {
    return settings -> {
      long deadline = System.nanoTime() + patience.toNanos();
      long backoffMs = 100;
      while (true) {
        try {
          return connector.connect(settings);
        } catch (dev.conductor.messaging.BusException e) {
          if (!e.isTransient() || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
            throw e;
          }
          try {
            Thread.sleep(backoffMs);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
          backoffMs = Math.min(backoffMs * 2, 2_000);
        }
      }
    };
  }
}
