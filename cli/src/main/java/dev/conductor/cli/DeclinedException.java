package dev.conductor.cli;

/** The person at the terminal did not confirm a destructive verb; it sent nothing. */
public final class DeclinedException extends RuntimeException {
  public DeclinedException(String message) {
    super(message);
  }
}
