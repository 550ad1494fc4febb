package dev.conductor.runtime;

/**
 * A runtime holds the worker's log but cannot read it now (its log service is unreachable or
 * refuses): the message says so in one line, without a secret.
 */
public class WorkerLogUnavailableException extends RuntimeException {
  private final String reason;

  public WorkerLogUnavailableException(String reason) {
    super(reason);
    this.reason = reason;
  }

  /** The one-line reason, as the message. */
  public String reason() {
    return reason;
  }
}
