package dev.conductor.metrics;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.metrics.*}: how old the database gauges (queue depth, workers) may be before a
 * scrape of {@code /metrics} reads them again.
 */
@ConfigurationProperties("conductor.metrics")
public record MetricsSettings(@NotNull Duration gaugeRefresh) {}
