package dev.conductor.bus;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.artemis.ArtemisMessageBus;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import jakarta.inject.Singleton;

/** Chooses the MessageBus adapter by {@code conductor.bus.kind}. */
@Factory
class MessageBusFactory {

  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "conductor.bus.kind", value = "artemis", defaultValue = "artemis")
  MessageBus artemis(ArtemisBusSettings settings) {
    return ArtemisMessageBus.connect(settings.url(), settings.user(), settings.password());
  }
}
