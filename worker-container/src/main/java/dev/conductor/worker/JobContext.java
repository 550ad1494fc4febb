package dev.conductor.worker;

import jakarta.annotation.Nullable;
import java.util.Objects;
import java.util.Optional;

/**
 * What a handler knows about the job it runs and the worker running it. The worker interrupts a job
 * that runs past its timeout or past the shutdown grace period; {@link #isInterrupted()} stays true
 * even if the handler swallowed the thread's interrupt.
 */
public final class JobContext {
  private final String jobId;
  private final int attempt;
  private final String jobType;
  private final String workerId;
  private final String tenant;
  private final @Nullable String affinityKey;
  private volatile @Nullable String interruption;

  public JobContext(
      String jobId,
      int attempt,
      String jobType,
      String workerId,
      String tenant,
      @Nullable String affinityKey) {
    this.jobId = Objects.requireNonNull(jobId, "jobId");
    this.attempt = attempt;
    this.jobType = jobType;
    this.workerId = Objects.requireNonNull(workerId, "workerId");
    this.tenant = Objects.requireNonNull(tenant, "tenant");
    this.affinityKey = affinityKey;
  }

  public String jobId() {
    return jobId;
  }

  /** 1 for the first attempt; a retry of the same job gets the next number. */
  public int attempt() {
    return attempt;
  }

  public String jobType() {
    return jobType;
  }

  public String workerId() {
    return workerId;
  }

  public String tenant() {
    return tenant;
  }

  /** The affinity key this worker was started for, e.g. to pick the same outbound proxy. */
  public Optional<String> affinityKey() {
    return Optional.ofNullable(affinityKey);
  }

  /** True once the worker wants this job to stop: timed out or shutting down. */
  public boolean isInterrupted() {
    return interruption != null || Thread.currentThread().isInterrupted();
  }

  /** Throws if the job should stop; a handler calls it between steps of long work. */
  public void checkInterrupted() throws InterruptedException {
    if (isInterrupted()) {
      String reason = interruption;
      throw new InterruptedException(reason == null ? "interrupted" : reason);
    }
  }

  /** Why the worker interrupted the job, if it did. */
  Optional<String> interruption() {
    return Optional.ofNullable(interruption);
  }

  void interrupt(String reason) {
    if (interruption == null) {
      interruption = reason;
    }
  }
}
