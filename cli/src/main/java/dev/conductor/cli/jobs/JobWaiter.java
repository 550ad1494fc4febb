package dev.conductor.cli.jobs;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.client.ServerUnreachableException;
import dev.conductor.api.v1.JobView;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Waits for a job to end by long-polling {@code GET /v1/jobs/{id}?wait=30s}: each request returns
 * when the job ends or the wait passes, and the loop asks again until the status is final. A 429
 * (the tenant holds as many long-polls as the server allows) means: wait Retry-After, ask again.
 */
public final class JobWaiter {

  static final Duration LONG_POLL = Duration.ofSeconds(30);
  // Between answers without a final status; keeps a server that answers at once from a busy loop.
  static final Duration PAUSE = Duration.ofMillis(250);
  // Tolerates a conductor restart or a replica switch while waiting, then gives up.
  static final int MAX_CONSECUTIVE_FAILURES = 30;
  static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
  // A 429 without Retry-After: the server's cap on concurrent long-polls frees up within seconds.
  static final Duration BUSY_PAUSE = Duration.ofSeconds(1);

  /** One long-poll: the job as the server sees it when it ends or after at most {@code wait}. */
  @FunctionalInterface
  public interface Poll {
    JobView job(String id, Duration wait);
  }

  @FunctionalInterface
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Poll poll;
  private final Pause pause;
  private final Consumer<JobView> onProgress;

  JobWaiter(Poll poll, Pause pause, Consumer<JobView> onProgress) {
    this.poll = poll;
    this.pause = pause;
    this.onProgress = onProgress;
  }

  /**
   * @param onProgress called with the job each time its status, worker or attempt changes before it
   *     ends
   */
  public static JobWaiter over(ConductorClient client, Consumer<JobView> onProgress) {
    return new JobWaiter(
        client::awaitJob, duration -> Thread.sleep(duration.toMillis()), onProgress);
  }

  /**
   * @param last the job as last seen, or null: a job that has already ended is returned as is
   * @return the job in a final status (SUCCEEDED, FAILED or CANCELLED)
   * @throws ServerUnreachableException if the server stays unreachable for about 30 s
   * @throws ApiException if the server refuses the wait other than with 429
   */
  public JobView await(String id, @Nullable JobView last) {
    if (last != null && JobStatus.isFinal(last.status())) {
      return last;
    }
    return awaitFrom(id, last == null ? null : Progress.of(last));
  }

  /**
   * Waits for a job just submitted, whose progress starts from the status its submission answered,
   * with no worker and no attempt yet; one that had already ended (an idempotent resubmission) is
   * fetched as it ended.
   *
   * @return the job in a final status (SUCCEEDED, FAILED or CANCELLED)
   * @throws ServerUnreachableException if the server stays unreachable for about 30 s
   * @throws ApiException if the server refuses the wait other than with 429
   */
  public JobView awaitSubmitted(String id, String status) {
    return awaitFrom(id, new Progress(status, null, 0));
  }

  private JobView awaitFrom(String id, @Nullable Progress last) {
    int failures = 0;
    while (true) {
      JobView job;
      try {
        job = poll.job(id, LONG_POLL);
        failures = 0;
      } catch (ServerUnreachableException e) {
        if (++failures >= MAX_CONSECUTIVE_FAILURES) {
          throw e;
        }
        sleep(RETRY_PAUSE);
        continue;
      } catch (ApiException e) {
        if (e.status() != 429) {
          throw e;
        }
        // At least PAUSE: "Retry-After: 0" must not turn the wait into a busy loop.
        Duration retryAfter = e.retryAfter().orElse(BUSY_PAUSE);
        sleep(retryAfter.compareTo(PAUSE) < 0 ? PAUSE : retryAfter);
        continue;
      }
      if (JobStatus.isFinal(job.status())) {
        return job;
      }
      Progress now = Progress.of(job);
      if (!now.equals(last)) {
        onProgress.accept(job);
      }
      last = now;
      sleep(PAUSE);
    }
  }

  /** What the wait reports each change of: the job's status, worker and attempt. */
  private record Progress(String status, @Nullable String workerId, int attempts) {
    static Progress of(JobView job) {
      return new Progress(job.status(), job.workerId(), job.attempts());
    }
  }

  private void sleep(Duration duration) {
    try {
      pause.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job", e);
    }
  }
}
