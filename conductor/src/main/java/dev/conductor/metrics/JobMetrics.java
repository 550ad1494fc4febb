package dev.conductor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;

/**
 * Jobs as they move: submitted, started (each attempt), finished by outcome, with the time from
 * submission to first start and from start to end. Labels: tenant name, job type (a plan's
 * job-types), outcome; never a job or worker id. In memory only: no query per job.
 */
@Singleton
public class JobMetrics {
  private final MeterRegistry registry;

  JobMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** {@code count} new jobs of one type were stored (replays of an idempotency key are not). */
  public void submitted(String tenant, String type, int count) {
    if (count > 0) {
      counter("conductor.jobs.submitted", tenant, type).increment(count);
    }
  }

  /** An attempt started; {@code sinceSubmit} only for a job's first attempt. */
  public void started(String tenant, String type, @Nullable Duration sinceSubmit) {
    counter("conductor.jobs.started", tenant, type).increment();
    if (sinceSubmit != null) {
      Timer.builder("conductor.jobs.queued.duration")
          .description("Submission to first start of a job")
          .tags("tenant", tenant, "type", type)
          .publishPercentileHistogram()
          .register(registry)
          .record(nonNegative(sinceSubmit));
    }
  }

  /**
   * A job ended: SUCCEEDED, FAILED (attempts exhausted or not retryable) or CANCELLED; {@code
   * running} is start to end where it is known.
   */
  public void finished(String tenant, String type, String outcome, @Nullable Duration running) {
    Counter.builder("conductor.jobs.finished")
        .description("Jobs that ended, by outcome")
        .tags("tenant", tenant, "type", type, "outcome", outcome)
        .register(registry)
        .increment();
    if (running != null) {
      Timer.builder("conductor.jobs.run.duration")
          .description("Start to end of a job's last attempt")
          .tags("tenant", tenant, "type", type, "outcome", outcome)
          .publishPercentileHistogram()
          .register(registry)
          .record(nonNegative(running));
    }
  }

  private Counter counter(String name, String tenant, String type) {
    return Counter.builder(name).tags("tenant", tenant, "type", type).register(registry);
  }

  static Duration nonNegative(Duration duration) {
    return duration.isNegative() ? Duration.ZERO : duration;
  }
}
