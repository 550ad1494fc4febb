package dev.conductor.api;

/** Authenticated, but not allowed in the current state (a suspended tenant): 403. */
public class ForbiddenException extends RuntimeException {
  public ForbiddenException(String message) {
    super(message);
  }
}
