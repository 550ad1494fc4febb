package dev.conductor.api.v1;

import jakarta.annotation.Nullable;

/**
 * One job's result in a batch, at the job's position: accepted ({@code id}, its {@code status},
 * {@code replayed} when its idempotency key returned an earlier job) or refused ({@code error}, the
 * problem {@code POST /v1/jobs} would have answered; {@code retryAfter} in seconds for a 429).
 */
public record BatchJobResult(
    @Nullable String id,
    @Nullable String status,
    @Nullable Boolean replayed,
    @Nullable Problem error,
    @Nullable Long retryAfter) {

  public static BatchJobResult accepted(String id, String status, boolean replayed) {
    return new BatchJobResult(id, status, replayed, null, null);
  }

  public static BatchJobResult refused(Problem error, @Nullable Long retryAfter) {
    return new BatchJobResult(null, null, null, error, retryAfter);
  }
}
