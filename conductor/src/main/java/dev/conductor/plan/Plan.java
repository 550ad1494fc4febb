package dev.conductor.plan;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.convert.format.ReadableBytes;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import java.util.List;

/**
 * A tenant plan, {@code conductor.plans.<name>.*}; every field can be overridden by environment,
 * e.g. {@code CONDUCTOR_PLANS_DEV_IDLE_TIMEOUT=3s}.
 */
@EachProperty("conductor.plans")
public record Plan(
    @Parameter String name,
    @Min(1) int workerCapacity,
    @Min(1) int maxWorkersPerKey,
    @Min(1) int maxWorkersPerTenant,
    @NotNull Duration idleTimeout,
    @Min(1) int maxAttempts,
    @NotNull Duration jobTimeout,
    @Min(1) int maxPayloadBytes,
    @Nullable String workerImage,
    @Nullable List<String> workerCommand,
    @Nullable List<String> jobTypes,
    // Unset: no limit. The rate is a token bucket per tenant in each conductor replica.
    @Nullable @Min(1) Integer submitRate,
    @Nullable @Min(1) Integer submitBurst,
    @Nullable @Min(1) Integer maxQueuedJobs,
    // Unset: finished jobs are kept forever.
    @Nullable Duration jobRetention,
    // Unset: conductor.runtime.kind. The image and limits apply where the runtime runs images.
    @Nullable String runtime,
    @Nullable @Positive Double workerCpus,
    @Nullable @Positive @ReadableBytes Long workerMemory) {

  /** Job types this plan's workers handle; submitting another type is refused with 422. */
  public List<String> acceptedJobTypes() {
    return jobTypes == null ? List.of("echo", "sleep", "fail") : jobTypes;
  }

  /** Submissions a tenant may burst before the rate applies: the burst, else one second's worth. */
  public int submitBucket() {
    return submitBurst != null ? submitBurst : submitRate == null ? 0 : submitRate;
  }

  public List<String> command() {
    return workerCommand == null ? List.of() : workerCommand;
  }
}
