package dev.conductor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Attempts of provisioning operations by kind (PROVISION, DEPROVISION, UPDATE, REFRESH) and outcome
 * (SUCCEEDED, FAILED, CANCELLED, RETRIED, INTERRUPTED, ABANDONED, HANDED_BACK), with their
 * durations; and the provisioners' steps by the kind of resource, what was done to it and whether
 * it failed.
 */
@Singleton
public class OperationMetrics {
  private final MeterRegistry registry;

  OperationMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  public void attemptEnded(String kind, String outcome, Duration took) {
    Timer.builder("conductor.operations")
        .description("Operation attempts by kind and outcome, and how long each took")
        .tags("kind", kind, "outcome", outcome)
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(took));
  }

  public void stepEnded(String step, String action, boolean failed, Duration took) {
    Timer.builder("conductor.provisioning.steps")
        .description(
            "Provisioning steps by resource kind, action and outcome, and how long each took")
        .tags("step", step, "action", action, "outcome", failed ? "failed" : "ok")
        .publishPercentileHistogram()
        .register(registry)
        .record(JobMetrics.nonNegative(took));
  }
}
