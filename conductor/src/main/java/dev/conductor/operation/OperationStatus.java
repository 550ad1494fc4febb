package dev.conductor.operation;

/** QUEUED → RUNNING → SUCCEEDED | FAILED; RUNNING → QUEUED when a retryable step failed. */
public enum OperationStatus {
  QUEUED,
  RUNNING,
  SUCCEEDED,
  FAILED;

  public boolean ended() {
    return this == SUCCEEDED || this == FAILED;
  }
}
