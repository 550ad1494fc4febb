package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.servicebus.ServiceBusMessageBus;
import dev.conductor.messaging.servicebus.ServiceBusSettings;
import dev.conductor.messaging.time.Backoff;

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
    Backoff reconnect =
        new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2));
    return settings -> {
      long deadline = System.nanoTime() + patience.toNanos();
      for (int failures = 1; ; failures++) {
        try {
          return connector.connect(settings);
        } catch (dev.conductor.messaging.BusException e) {
          java.time.Duration wait = reconnect.after(failures);
          if (!e.isTransient() || System.nanoTime() + wait.toNanos() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    };
  }
}
