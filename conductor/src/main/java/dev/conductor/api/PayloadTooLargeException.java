package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/** The request's payload exceeds what the tenant's plan allows: 413. */
public class PayloadTooLargeException extends ApiException {
  public PayloadTooLargeException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.REQUEST_ENTITY_TOO_LARGE;
  }
}
