package dev.conductor.messaging;

/**
 * Guarantees an adapter may lack: {@code cancelScheduled} (the Service Bus emulator ignores
 * scheduled-message cancel), {@code scopedCredentials} ({@link MessageBus#grantWorkerAccess}).
 */
public record BusCapabilities(boolean cancelScheduled, boolean scopedCredentials) {

  /** An adapter that cannot grant scoped credentials. */
  public BusCapabilities(boolean cancelScheduled) {
    this(cancelScheduled, false);
  }
}
