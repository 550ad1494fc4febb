package dev.conductor.cli.jobs;

/** A job's status as the job API reports it; the last three are final. */
public enum JobStatus {
  QUEUED,
  DISPATCHED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** Whether the status (as the API spells it) is final; unknown or absent statuses are not. */
  public static boolean isFinal(String status) {
    return SUCCEEDED.name().equals(status)
        || FAILED.name().equals(status)
        || CANCELLED.name().equals(status);
  }
}
