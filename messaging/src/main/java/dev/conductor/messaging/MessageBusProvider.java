package dev.conductor.messaging;

import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A bus adapter as a worker process finds it at run time: each adapter module lists its provider in
 * {@code META-INF/services}, so the buses a worker can reach are the adapters its class path
 * carries. The conductor chooses its adapter by configuration instead.
 */
public interface MessageBusProvider {
  /** The bus kind this adapter serves, as in {@code CONDUCTOR_BUS_KIND}: {@code artemis}. */
  String kind();

  /** Connects with what the conductor granted a worker. */
  MessageBus connect(BusAccess access);

  /** The adapter of {@code kind} on the class path, if any. */
  static Optional<MessageBusProvider> find(String kind) {
    return ServiceLoader.load(MessageBusProvider.class).stream()
        .map(ServiceLoader.Provider::get)
        .filter(provider -> provider.kind().equals(kind))
        .findFirst();
  }

  /** The artifact that holds the adapter of {@code kind}. */
  static String module(String kind) {
    return "conductor-messaging-" + kind;
  }
}
