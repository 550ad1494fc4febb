package dev.conductor.operation;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.operations.*}: how long a claim lives without a heartbeat, how often idle
 * conductors look for work, how many operations run at once, attempts for retryable failures, and a
 * pause after each provisioning step (zero; for demos and resumability tests), and how long a
 * stopping conductor waits for its running operations to reach a safe point and be handed back.
 */
@ConfigurationProperties("conductor.operations")
public record OperationSettings(
    @NotNull Duration lease,
    @NotNull Duration pollInterval,
    @Min(1) int maxConcurrent,
    @Min(1) int maxAttempts,
    @NotNull Duration stepDelay,
    @NotNull Duration stopTimeout) {}
