package dev.conductor.api;

import io.micronaut.core.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A time a listing is bounded by, as an operator types it: an instant ({@code
 * 2026-12-07T10:00:00Z}) or an age ({@code 90s}, {@code 15m}, {@code 2h}, {@code 7d}) counted back
 * from now.
 */
public final class TimeBound {
  private static final Pattern AGE = Pattern.compile("(\\d{1,9})([smhd])");

  private TimeBound() {}

  /** The instant, or null when unset; a value of neither form is a 400 naming the parameter. */
  public static @Nullable Instant parse(String parameter, @Nullable String value, Clock clock) {
    if (value == null || value.isBlank()) {
      return null;
    }
    Matcher age = AGE.matcher(value);
    if (age.matches()) {
      long amount = Long.parseLong(age.group(1));
      Duration back =
          switch (age.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          };
      return clock.instant().minus(back);
    }
    try {
      return Instant.parse(value);
    } catch (DateTimeParseException e) {
      throw new InvalidRequestException(
          parameter
              + " must be an instant like 2026-12-07T10:00:00Z or an age like 90s, 15m, 2h or 7d;"
              + " got '"
              + value
              + "'");
    }
  }
}
