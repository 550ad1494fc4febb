package dev.conductor.tracing;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.annotation.Nullable;

/**
 * {@code conductor.tracing.*}: the OTLP/HTTP endpoint spans are exported to (e.g. {@code
 * http://collector:4318}); unset or blank, tracing is off and costs nothing (docs/tracing.md).
 */
@ConfigurationProperties("conductor.tracing")
public record TracingSettings(@Nullable String otlpEndpoint) {

  public boolean enabled() {
    return otlpEndpoint != null && !otlpEndpoint.isBlank();
  }
}
