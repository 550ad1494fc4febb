package dev.conductor.api;

import io.micronaut.http.HttpStatus;
import java.time.Duration;

/** The caller is over one of its limits (rate, quota, concurrent waits): 429 with Retry-After. */
public class TooManyRequestsException extends ApiException {
  private final Duration retryAfter;

  public TooManyRequestsException(String message, Duration retryAfter) {
    super(message);
    this.retryAfter = retryAfter;
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.TOO_MANY_REQUESTS;
  }

  /** Whole seconds, at least 1, as the Retry-After header carries them. */
  public long retryAfterSeconds() {
    return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
  }
}
