package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/**
 * An error named by its meaning; each subclass says once which HTTP status it is, and {@link
 * ApiExceptionHandler} renders every one of them as problem+json.
 */
public abstract class ApiException extends RuntimeException {
  protected ApiException(String message) {
    super(message);
  }

  public abstract HttpStatus status();
}
