package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ApiException;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.Json;
import dev.conductor.cli.ServerUnreachableException;
import java.time.Duration;
import java.util.Objects;
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
    JsonNode job(String id, Duration wait);
  }

  @FunctionalInterface
  interface Pause {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final Poll poll;
  private final Pause pause;
  private final Consumer<JsonNode> onProgress;

  JobWaiter(Poll poll, Pause pause, Consumer<JsonNode> onProgress) {
    this.poll = poll;
    this.pause = pause;
    this.onProgress = onProgress;
  }

  /**
   * @param onProgress called with the job each time its status, worker or attempt changes before it
   *     ends
   */
  public static JobWaiter over(ConductorClient client, Consumer<JsonNode> onProgress) {
    return new JobWaiter(
        (id, wait) -> client.get(JobPaths.awaitJob(id, wait)),
        duration -> Thread.sleep(duration.toMillis()),
        onProgress);
  }

  /**
   * @param last the job as last seen, or null: a job that has already ended is returned as is
   * @return the job in a final status (SUCCEEDED, FAILED or CANCELLED)
   * @throws ServerUnreachableException if the server stays unreachable for about 30 s
   * @throws ApiException if the server refuses the wait other than with 429
   */
  public JsonNode await(String id, JsonNode last) {
    int failures = 0;
    while (last == null || !JobStatus.isFinal(Json.text(last, "status"))) {
      JsonNode job;
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
      if (JobStatus.isFinal(Json.text(job, "status"))) {
        return job;
      }
      if (last == null || progressed(last, job)) {
        onProgress.accept(job);
      }
      last = job;
      sleep(PAUSE);
    }
    return last;
  }

  private static boolean progressed(JsonNode before, JsonNode after) {
    return !Objects.equals(Json.text(before, "status"), Json.text(after, "status"))
        || !Objects.equals(Json.text(before, "workerId"), Json.text(after, "workerId"))
        || before.path("attempts").asInt() != after.path("attempts").asInt();
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
