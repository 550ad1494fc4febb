package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** The request clashes with the current state (name taken, operation in progress): 409. */
public class ConflictException extends ApiException {
  public ConflictException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.CONFLICT;
  }
}
