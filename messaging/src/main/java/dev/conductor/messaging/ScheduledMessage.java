package dev.conductor.messaging;

import java.time.Instant;

/** A handle to cancel a scheduled send; {@code token} is adapter-specific and storable as text. */
public record ScheduledMessage(String destination, String token) {

  /**
   * Rounds a delivery time up to the millisecond: brokers schedule by the millisecond, and a
   * scheduled message must never be delivered early.
   */
  public static Instant ceilMillis(Instant instant) {
    Instant truncated = Instant.ofEpochMilli(instant.toEpochMilli());
    return truncated.equals(instant) ? truncated : truncated.plusMillis(1);
  }
}
