package dev.conductor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

/** Messages to workers that the bus refused, by message kind (job, shutdown, teardown). */
@Singleton
public class BusMetrics {
  private final MeterRegistry registry;

  BusMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void sendFailed(String message) {
    Counter.builder("conductor.bus.send.errors")
        .description("Sends to the bus that failed, by message kind")
        .tag("message", message)
        .register(registry)
        .increment();
  }
}
