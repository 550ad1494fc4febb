package dev.conductor.messaging;

/**
 * Per-entity settings. {@code maxDeliveryCount}: deliveries after which a message is moved to the
 * entity's dead-letter queue (Service Bus default 10).
 */
public record EntityOptions(int maxDeliveryCount) {
  public static final EntityOptions DEFAULTS = new EntityOptions(10);

  public EntityOptions {
    if (maxDeliveryCount < 1) {
      throw new IllegalArgumentException("maxDeliveryCount must be at least 1");
    }
  }
}
