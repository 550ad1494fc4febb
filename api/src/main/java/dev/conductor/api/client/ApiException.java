package dev.conductor.api.client;

import jakarta.annotation.Nullable;
import java.time.Duration;
import java.util.Optional;

/**
 * The conductor answered with an error status; carries its problem+json {@code detail} and, for a
 * refusal to be retried later (429), how long the server asked to wait ({@code Retry-After}).
 */
public final class ApiException extends RuntimeException {

  private final int status;
  @Nullable private final Duration retryAfter;

  public ApiException(int status, String message) {
    this(status, message, null);
  }

  /**
   * @param retryAfter the server's {@code Retry-After}, or null when it sent none
   */
  public ApiException(int status, String message, @Nullable Duration retryAfter) {
    super(message);
    this.status = status;
    this.retryAfter = retryAfter;
  }

  public int status() {
    return status;
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
