package dev.conductor.api;

import io.micronaut.http.HttpStatus;
import java.time.Duration;

/** The conductor's database does not answer: 503, try again after a moment. */
public class DatabaseUnavailableException extends ApiException {
  private final Duration retryAfter;

  public DatabaseUnavailableException(Duration retryAfter) {
    super("the conductor's database is not answering; try again shortly");
    this.retryAfter = retryAfter;
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.SERVICE_UNAVAILABLE;
  }

  @Override
  public Duration retryAfter() {
    return retryAfter;
  }
}
