package dev.conductor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * The bus: how long sends to workers took until the broker had stored them and the sends it
 * refused, by message kind (job, shutdown, teardown), and how long workers' reports took from their
 * sending to their receipt, by report type.
 */
@Singleton
public class BusMetrics {
  private final MeterRegistry registry;

  BusMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The broker confirmed a send {@code took} after it began (an asynchronous one included). */
  public void sent(String message, Duration took) {
    Timer.builder("conductor.bus.send")
        .description("A send to the bus until the broker confirmed it stored, by message kind")
        .tag("message", message)
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(took));
  }

  public void sendFailed(String message) {
    Counter.builder("conductor.bus.send.errors")
        .description("Sends to the bus that failed, by message kind")
        .tag("message", message)
        .register(registry)
        .increment();
  }

  /** A worker's report arrived {@code latency} after the worker sent it (by the worker's clock). */
  public void received(String report, Duration latency) {
    Timer.builder("conductor.bus.receive.latency")
        .description("A worker report's send to its receipt, by report type")
        .tag("message", report)
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(latency));
  }
}
