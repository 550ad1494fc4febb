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

  @Override
  public Duration retryAfter() {
    return retryAfter;
  }
}
