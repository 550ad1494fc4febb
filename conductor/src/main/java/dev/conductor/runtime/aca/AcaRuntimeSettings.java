package dev.conductor.runtime.aca;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;

/**
 * {@code conductor.runtime.aca.*}: where the tenants' Container Apps jobs are ({@code
 * subscription}, {@code resource-group}), the Azure Resource Manager endpoint (another cloud, or a
 * stand-in in tests), the broker address workers use (unset: the conductor's own), how often
 * executions are polled for ends (ARM has no event stream), and how many times a throttled (429) or
 * transient (5xx, I/O) ARM call is retried, starting {@code retry-delay} apart unless ARM says
 * Retry-After. {@code logAnalyticsEndpoint}: the Log Analytics query API workers' logs are read
 * from (another cloud's, or a stand-in in tests).
 */
@ConfigurationProperties("conductor.runtime.aca")
public record AcaRuntimeSettings(
    @NotBlank String subscription,
    @NotBlank String resourceGroup,
    @NotBlank String endpoint,
    @Nullable String busUrl,
    @NotNull Duration pollInterval,
    @PositiveOrZero int retries,
    @NotNull Duration retryDelay,
    @NotBlank String logAnalyticsEndpoint) {}
