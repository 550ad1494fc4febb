package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.servicebus.ServiceBusMessageBus;
import dev.conductor.messaging.servicebus.ServiceBusSettings;

/** Opens the worker's connection to the bus; a seam for adapters other than Artemis. */
@FunctionalInterface
public interface BusConnector {
  BusConnector ARTEMIS =
      settings ->
          ArtemisMessageBus.connect(settings.busUrl(), settings.busUser(), settings.busPassword());

  BusConnector SERVICE_BUS = settings -> ServiceBusMessageBus.connect(serviceBusSettings(settings));

  MessageBus connect(WorkerSettings settings);

  /**
   * Service Bus: {@code busUrl} is the namespace host, user and password the entity-level SAS rule
   * name and key the conductor granted; the shard count must be the conductor's, or the worker
   * looks for its subscription on the wrong physical topic.
   */
  static ServiceBusSettings serviceBusSettings(WorkerSettings settings) {
    return ServiceBusSettings.of(
            ServiceBusSettings.workerConnectionString(
                settings.busUrl(), settings.busUser(), settings.busPassword()))
        .withTopicShards(settings.topicShards());
  }

  /** The adapter named by {@code CONDUCTOR_BUS_KIND}. */
  static BusConnector forKind(String kind) {
    return switch (kind) {
      case "artemis" -> ARTEMIS;
      case "servicebus" -> SERVICE_BUS;
      default -> throw new IllegalArgumentException("unknown bus kind '" + kind + "'");
    };
  }

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
