package dev.conductor.metrics;

import dev.conductor.openapi.OperatorApi;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.swagger.v3.oas.annotations.Operation;

/**
 * {@code GET /metrics}: every meter in Prometheus text format, behind the operator token ({@code
 * AdminAuthFilter}); the database gauges are read again first if they are stale.
 */
@Controller("/metrics")
@OperatorApi
public class MetricsController {
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final PrometheusMeterRegistry registry;
  private final DatabaseGauges gauges;

  MetricsController(PrometheusMeterRegistry registry, DatabaseGauges gauges) {
    this.registry = registry;
    this.gauges = gauges;
  }

  @Get
  @Produces(PROMETHEUS_TEXT)
  @Operation(operationId = "scrapeMetrics", summary = "Every metric, in Prometheus text format")
  public String scrape() {
    gauges.refreshIfStale();
    return registry.scrape();
  }
}
