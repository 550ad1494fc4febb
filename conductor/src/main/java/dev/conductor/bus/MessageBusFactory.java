package dev.conductor.bus;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBusProvider;
import dev.conductor.messaging.servicebus.ServiceBusMessageBus;
import dev.conductor.messaging.servicebus.ServiceBusMessageBusProvider;
import dev.conductor.messaging.servicebus.ServiceBusSettings;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/**
 * Chooses the MessageBus adapter, and what workers are told about it, by {@code
 * conductor.bus.kind}.
 */
@Factory
class MessageBusFactory {
  static final String ARTEMIS = ArtemisMessageBusProvider.KIND;
  static final String SERVICE_BUS = ServiceBusMessageBusProvider.KIND;

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "conductor.bus.kind", value = ARTEMIS, defaultValue = ARTEMIS)
  MessageBus artemis(ArtemisBusSettings settings) {
    return ArtemisMessageBus.connect(settings.url(), settings.user(), settings.password());
  }

  @Singleton
  @Requires(property = "conductor.bus.kind", value = ARTEMIS, defaultValue = ARTEMIS)
  WorkerBusEndpoint artemisEndpoint(ArtemisBusSettings settings) {
    return new WorkerBusEndpoint(ARTEMIS, settings.url(), 1);
  }

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "conductor.bus.kind", value = SERVICE_BUS)
  MessageBus serviceBus(ServiceBusSettingsProperties settings) {
    return ServiceBusMessageBus.connect(settings.adapterSettings());
  }

  @Singleton
  @Requires(property = "conductor.bus.kind", value = SERVICE_BUS)
  WorkerBusEndpoint serviceBusEndpoint(ServiceBusSettingsProperties settings) {
    ServiceBusSettings adapter = settings.adapterSettings();
    return new WorkerBusEndpoint(SERVICE_BUS, adapter.namespaceHost(), adapter.topicShards());
  }
}
