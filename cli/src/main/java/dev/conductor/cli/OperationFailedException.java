package dev.conductor.cli;

/** An operation the user waited for did not end as hoped: FAILED, CANCELLED, or not cancelled. */
public final class OperationFailedException extends RuntimeException {

  public OperationFailedException(String message) {
    super(message);
  }
}
