package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** Authenticated, but not allowed in the current state (a suspended tenant): 403. */
public class ForbiddenException extends ApiException {
  public ForbiddenException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.FORBIDDEN;
  }
}
