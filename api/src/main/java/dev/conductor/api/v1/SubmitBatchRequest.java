package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.util.List;

/**
 * {@code POST /v1/jobs/batch}: 1 to {@link #MAX_JOBS} jobs, each checked as {@code POST /v1/jobs}
 * checks it, each with its own result.
 */
public record SubmitBatchRequest(@Nullable List<SubmitJobRequest> jobs) {
  public static final int MAX_JOBS = 1000;
}
