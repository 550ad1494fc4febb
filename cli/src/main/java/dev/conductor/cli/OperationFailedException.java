package dev.conductor.cli;

/** An operation the user waited for ended FAILED. */
public final class OperationFailedException extends RuntimeException {

  public OperationFailedException(String message) {
    super(message);
  }
}
