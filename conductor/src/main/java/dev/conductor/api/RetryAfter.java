package dev.conductor.api;

import java.time.Duration;

/** The value of a Retry-After header: whole seconds, at least one. */
public final class RetryAfter {
  private RetryAfter() {}

  static String seconds(Duration wait) {
    return Long.toString(wholeSeconds(wait));
  }

  public static long wholeSeconds(Duration wait) {
    long millis = Math.max(1, wait.toMillis());
    return (millis + 999) / 1000;
  }
}
