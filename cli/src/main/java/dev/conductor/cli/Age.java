package dev.conductor.cli;

import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;

/**
 * How long ago something happened, as a table shows it: "45s ago", "12m ago", "5h ago", "3d ago".
 */
public final class Age {
  private Age() {}

  public static String ago(@Nullable Instant then, Instant now) {
    if (then == null) {
      return "-";
    }
    // A server clock a little ahead of this machine's reads as "0s ago", not a negative age.
    long seconds = Math.max(0, Duration.between(then, now).toSeconds());
    if (seconds < 60) {
      return seconds + "s ago";
    }
    if (seconds < 60 * 60) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 48 * 60 * 60) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86_400 + "d ago";
  }
}
