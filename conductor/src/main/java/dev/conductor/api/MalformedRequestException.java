package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** The request cannot be understood as sent (a query parameter out of its syntax): 400. */
public class MalformedRequestException extends ApiException {
  public MalformedRequestException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.BAD_REQUEST;
  }
}
