package dev.conductor.api;

/** The request is well-formed but its content is not acceptable: 422. */
public class InvalidRequestException extends RuntimeException {
  public InvalidRequestException(String message) {
    super(message);
  }
}
