package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusProvider;

/** The {@code artemis} adapter for a worker: the CORE client to the conductor's broker. */
public final class ArtemisMessageBusProvider implements MessageBusProvider {
  public static final String KIND = "artemis";

  @Override
  public String kind() {
    return KIND;
  }

  /** {@code url} is an Artemis CORE URL such as {@code tcp://127.0.0.1:61616}. */
  @Override
  public MessageBus connect(BusAccess access) {
    return ArtemisMessageBus.connect(
        access.url(), access.credentials().user(), access.credentials().password());
  }
}
