package dev.conductor.cli;

/** A job the user waited for ended FAILED or CANCELLED. */
public final class JobFailedException extends RuntimeException {

  public JobFailedException(String message) {
    super(message);
  }
}
