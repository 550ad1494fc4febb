package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** The named thing does not exist (or is not visible to the caller): 404. */
public class NotFoundException extends ApiException {
  public NotFoundException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.NOT_FOUND;
  }
}
