package dev.conductor.job;

import dev.conductor.api.TooManyRequestsException;
import dev.conductor.plan.Plan;
import dev.conductor.tenant.Tenant;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A tenant's plan limits on submitting: a rate (a token bucket per tenant, kept in each conductor
 * replica, so N replicas admit up to N times the rate) and a quota of jobs not yet ended (counted
 * in PostgreSQL, so it holds across replicas; concurrent submissions may pass it by a few).
 */
@Singleton
public class SubmitLimits {
  private static final Duration QUOTA_RETRY = Duration.ofSeconds(5);

  private final JobRepository jobs;
  private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

  SubmitLimits(JobRepository jobs) {
    this.jobs = jobs;
  }

  /** Takes one submission from the tenant's allowance, or refuses with 429. */
  void admit(Tenant tenant, Plan plan) {
    if (plan.maxQueuedJobs() != null) {
      long unfinished = jobs.countUnfinished(tenant.id(), plan.maxQueuedJobs());
      if (unfinished >= plan.maxQueuedJobs()) {
        throw new TooManyRequestsException(
            "tenant '"
                + tenant.name()
                + "' has "
                + plan.maxQueuedJobs()
                + " jobs that have not ended, the most plan "
                + plan.name()
                + " allows; submit again once some have ended",
            QUOTA_RETRY);
      }
    }
    if (plan.submitRate() != null) {
      Bucket bucket = buckets.computeIfAbsent(tenant.id(), id -> new Bucket());
      Duration wait = bucket.take(plan.submitRate(), plan.submitBucket(), System.nanoTime());
      if (!wait.isZero()) {
        throw new TooManyRequestsException(
            "tenant '"
                + tenant.name()
                + "' submits faster than plan "
                + plan.name()
                + " allows ("
                + plan.submitRate()
                + " jobs/s, bursts of "
                + plan.submitBucket()
                + ")",
            wait);
      }
    }
  }

  /** Tokens refill at {@code rate} per second up to {@code capacity}; one per submission. */
  static final class Bucket {
    private double tokens = -1;
    private long refilledAt;

    /** Zero if a token was taken, else how long until one will be there. */
    synchronized Duration take(int rate, int capacity, long nowNanos) {
      if (tokens < 0) {
        tokens = capacity;
      } else {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * rate / 1e9);
      }
      refilledAt = nowNanos;
      if (tokens >= 1) {
        tokens -= 1;
        return Duration.ZERO;
      }
      return Duration.ofNanos((long) Math.ceil((1 - tokens) * 1e9 / rate));
    }
  }
}
