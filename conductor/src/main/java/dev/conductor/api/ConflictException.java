package dev.conductor.api;

/** The request clashes with the current state (name taken, operation in progress): 409. */
public class ConflictException extends RuntimeException {
  public ConflictException(String message) {
    super(message);
  }
}
