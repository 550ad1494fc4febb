package dev.conductor.bus;

import dev.conductor.messaging.servicebus.ServiceBusSettings;
import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.bus.servicebus.*}, read when {@code conductor.bus.kind} is {@code servicebus}.
 * The connection string (from {@code CONDUCTOR_SERVICEBUS_CONNECTION_STRING}) needs a key with
 * Manage on the namespace; it is never logged. The defaults are in application.yml, which every
 * start loads (tests too).
 */
@ConfigurationProperties("conductor.bus.servicebus")
public record ServiceBusSettingsProperties(
    @NotBlank String connectionString,
    @Min(1) @Max(1000) int topicShards,
    @NotNull Duration autoDeleteOnIdle,
    @NotNull Duration maxLockRenewal,
    @NotNull Duration lockDuration,
    boolean premium) {

  /** The adapter's settings; bad values fail here with the adapter's own message. */
  public ServiceBusSettings adapterSettings() {
    return new ServiceBusSettings(
        connectionString,
        topicShards,
        autoDeleteOnIdle,
        maxLockRenewal,
        lockDuration,
        premium,
        true);
  }

  @Override
  public String toString() {
    return "ServiceBusSettingsProperties[topicShards="
        + topicShards
        + ", autoDeleteOnIdle="
        + autoDeleteOnIdle
        + ", maxLockRenewal="
        + maxLockRenewal
        + ", lockDuration="
        + lockDuration
        + ", premium="
        + premium
        + "]";
  }
}
