package dev.conductor.api;

import dev.conductor.messaging.time.Durations;
import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * A time a listing is bounded by, as an operator types it: an instant ({@code
 * 2026-12-07T10:00:00Z}) or an age ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}, as {@link
 * Durations} reads settings) counted back from now.
 */
public final class TimeBound {
  private TimeBound() {}

  /** The instant, or null when unset; a value of neither form is a 400 naming the parameter. */
  public static @Nullable Instant parse(String parameter, @Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException notAnInstant) {
      try {
        return clock.instant().minus(Durations.parse(value));
      } catch (IllegalArgumentException | DateTimeException | ArithmeticException notAnAge) {
        throw new InvalidRequestException(
            parameter
                + " must be an instant like 2026-12-07T10:00:00Z or an age like 90s, 15m, 2h or 7d;"
                + " got '"
                + value
                + "'");
      }
    }
  }
}
