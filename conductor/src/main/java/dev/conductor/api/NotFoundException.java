package dev.conductor.api;

/** The named thing does not exist (or is not visible to the caller): 404. */
public class NotFoundException extends RuntimeException {
  public NotFoundException(String message) {
    super(message);
  }
}
