package dev.conductor.api;

/** The request's payload exceeds what the tenant's plan allows: 413. */
public class PayloadTooLargeException extends RuntimeException {
  public PayloadTooLargeException(String message) {
    super(message);
  }
}
