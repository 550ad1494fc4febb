package dev.conductor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Worker events: launches, cold starts (registered → ready) and teardown lag (how late an armed
 * teardown message arrived after it was due). Labels: tenant name, runtime kind; never a worker id.
 */
@Singleton
public class WorkerMetrics {
  private final MeterRegistry registry;

  WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A worker process (pod, container, execution) was started on {@code runtime}. */
  public void launched(String tenant, String runtime) {
    Counter.builder("conductor.workers.launched")
        .description("Workers started")
        .tags("tenant", tenant, "runtime", runtime)
        .register(registry)
        .increment();
  }

  /** A worker said ready, {@code coldStart} after it was registered. */
  public void ready(String tenant, @Nullable String runtime, Duration coldStart) {
    Timer.builder("conductor.workers.cold.start")
        .description("A worker's registration (launch) to its ready report")
        .tags("tenant", tenant, "runtime", runtime == null ? "unknown" : runtime)
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(coldStart));
  }

  /** The armed teardown of a worker arrived {@code lag} after it was due. */
  public void teardownArrived(Duration lag) {
    Timer.builder("conductor.workers.teardown.lag")
        .description("How late an armed teardown message arrived after its due time")
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(lag));
  }
}
