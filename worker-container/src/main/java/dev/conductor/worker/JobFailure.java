package dev.conductor.worker;

/**
 * A handler's verdict that its job failed. {@code retryable} tells the conductor whether another
 * attempt may succeed (a flaky upstream) or not (bad input).
 */
public class JobFailure extends Exception {
  private final boolean retryable;

  public JobFailure(String message, boolean retryable) {
    super(message);
    this.retryable = retryable;
  }

  public JobFailure(String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.retryable = retryable;
  }

  public boolean isRetryable() {
    return retryable;
  }
}
