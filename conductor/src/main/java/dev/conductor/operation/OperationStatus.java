package dev.conductor.operation;

/**
 * QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED; RUNNING → QUEUED when a retryable step failed;
 * QUEUED → CANCELLED on request.
 */
public enum OperationStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean ended() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
