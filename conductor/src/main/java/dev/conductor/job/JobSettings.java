package dev.conductor.job;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.jobs.*}: long-polls one tenant may hold open on a replica, and how often and in
 * what batches finished jobs past their plan's retention are deleted.
 */
@ConfigurationProperties("conductor.jobs")
public record JobSettings(
    @Min(1) int maxWaitsPerTenant,
    @NotNull Duration retentionInterval,
    @Min(1) int retentionBatch,
    @Min(1) int retentionMaxBatches) {}
