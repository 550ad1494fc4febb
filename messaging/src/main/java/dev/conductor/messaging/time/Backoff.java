package dev.conductor.messaging.time;

import java.time.Duration;
import java.util.Objects;

/**
 * Exponential backoff: {@code first} after the first failure, doubling after each further one,
 * never more than {@code max}. The one formula behind every retry delay of the conductor and the
 * worker.
 */
public record Backoff(Duration first, Duration max) {
  public Backoff {
    Objects.requireNonNull(first, "first");
    Objects.requireNonNull(max, "max");
    if (first.isNegative() || max.compareTo(first) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= first <= max: " + first + ", " + max);
    }
  }

  /** The wait after {@code failures} failures in a row (1 for the first); 0 or less: none. */
  public Duration after(int failures) {
    if (failures <= 0) {
      return Duration.ZERO;
    }
    // Past 2^30 times the first wait every real max has been reached; this also keeps it finite.
    int doublings = Math.min(failures - 1, 30);
    Duration wait;
    try {
      wait = first.multipliedBy(1L << doublings);
    } catch (ArithmeticException overflow) {
      return max;
    }
    return wait.compareTo(max) > 0 ? max : wait;
  }
}
