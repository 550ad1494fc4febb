package dev.conductor.job;

import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes jobs that ended longer ago than their tenant's plan keeps them ({@code job-retention}),
 * in small batches, each its own short transaction, so dispatch never waits behind a long delete.
 */
@Singleton
public class JobRetention {
  private static final Logger LOG = LoggerFactory.getLogger(JobRetention.class);

  private final JobRepository jobs;
  private final Plans plans;
  private final Clock clock;
  private final int batch;
  private final int maxBatches;

  JobRetention(JobRepository jobs, Plans plans, Clock clock, JobSettings settings) {
    this.jobs = jobs;
    this.plans = plans;
    this.clock = clock;
    this.batch = settings.retentionBatch();
    this.maxBatches = settings.retentionMaxBatches();
  }

  @Scheduled(
      fixedDelay = "${conductor.jobs.retention-interval}",
      initialDelay = "${conductor.jobs.retention-interval}")
  void scheduledSweep() {
    try {
      sweep();
    } catch (RuntimeException e) {
      LOG.warn("job retention sweep failed, the next one retries", e);
    }
  }

  /** One sweep over every plan with a retention; returns how many jobs it deleted. */
  public int sweep() {
    int deleted = 0;
    for (Plan plan : plans.all()) {
      if (plan.jobRetention() == null) {
        continue;
      }
      Instant cutoff = clock.instant().minus(plan.jobRetention());
      for (int round = 0; round < maxBatches; round++) {
        int gone = jobs.deleteEndedBefore(plan.name(), cutoff, batch);
        deleted += gone;
        if (gone < batch) {
          break;
        }
      }
    }
    if (deleted > 0) {
      LOG.info("job retention deleted={}", deleted);
    }
    return deleted;
  }
}
