package dev.conductor.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.metrics.*}: how old the database gauges (queue depth, workers) may be before a
 * scrape of {@code /metrics} reads them again, and the optional port of their own ({@link
 * MetricsPort}) with the address it binds.
 */
@ConfigurationProperties("conductor.metrics")
public record MetricsSettings(
    @NotNull Duration gaugeRefresh, @Nullable Integer port, @NotBlank String host) {}
