package dev.conductor.api;

import java.time.Duration;

/** The value of a Retry-After header: whole seconds, at least one. */
final class RetryAfter {
  private RetryAfter() {}

  static String seconds(Duration wait) {
    long millis = Math.max(1, wait.toMillis());
    return Long.toString((millis + 999) / 1000);
  }
}
