package dev.conductor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import java.time.Duration;

/**
 * An error named by its meaning; each subclass says once which HTTP status it is, and {@link
 * ApiExceptionHandler} renders every one of them as problem+json.
 */
public abstract class ApiException extends RuntimeException {
  protected ApiException(String message) {
    super(message);
  }

  public abstract HttpStatus status();

  /** When the client may try again (a Retry-After header), or null when retrying will not help. */
  public @Nullable Duration retryAfter() {
    return null;
  }
}
