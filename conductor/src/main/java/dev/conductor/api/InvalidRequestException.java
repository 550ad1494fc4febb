package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** The request is well-formed but its content is not acceptable: 422. */
public class InvalidRequestException extends ApiException {
  public InvalidRequestException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.UNPROCESSABLE_ENTITY;
  }
}
