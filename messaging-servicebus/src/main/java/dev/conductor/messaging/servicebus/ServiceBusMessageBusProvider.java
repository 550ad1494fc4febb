package dev.conductor.messaging.servicebus;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusProvider;

/** The {@code servicebus} adapter for a worker: Azure Service Bus with an entity-level SAS rule. */
public final class ServiceBusMessageBusProvider implements MessageBusProvider {
  public static final String KIND = "servicebus";

  @Override
  public String kind() {
    return KIND;
  }

  @Override
  public MessageBus connect(BusAccess access) {
    return ServiceBusMessageBus.connect(settings(access));
  }

  /**
   * {@code url} is the namespace host, the credentials the SAS rule name and key the conductor
   * granted; the shard count must be the conductor's, or the worker looks for its subscription on
   * the wrong physical topic.
   */
  public static ServiceBusSettings settings(BusAccess access) {
    return ServiceBusSettings.of(
            ServiceBusSettings.workerConnectionString(
                access.url(), access.credentials().user(), access.credentials().password()))
        .withTopicShards(access.topicShards());
  }
}
