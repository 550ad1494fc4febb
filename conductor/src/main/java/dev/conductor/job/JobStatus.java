package dev.conductor.job;

/**
 * QUEUED → DISPATCHED → RUNNING → SUCCEEDED | FAILED | CANCELLED; DISPATCHED/RUNNING → QUEUED on a
 * retry or a lost worker.
 */
public enum JobStatus {
  QUEUED,
  DISPATCHED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public boolean ended() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }
}
