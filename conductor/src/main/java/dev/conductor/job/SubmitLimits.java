package dev.conductor.job;

import dev.conductor.api.TooManyRequestsException;
import dev.conductor.plan.Plan;
import dev.conductor.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A tenant's plan limits on submitting: a rate (a token bucket per tenant, kept in each conductor
 * replica, so N replicas admit up to N times the rate) and a quota of jobs not yet ended (a counter
 * in PostgreSQL, read and followed by the insert under the tenant's quota lock in one transaction,
 * so it holds exactly across concurrent submissions and replicas).
 */
@Singleton
public class SubmitLimits {
  private static final Duration QUOTA_RETRY = Duration.ofSeconds(5);

  private final JobRepository jobs;
  private final TransactionOperations<Connection> tx;
  private final Map<UUID, Bucket> buckets = new ConcurrentHashMap<>();

  SubmitLimits(JobRepository jobs, TransactionOperations<Connection> tx) {
    this.jobs = jobs;
    this.tx = tx;
  }

  /**
   * Admits up to {@code wanted} new jobs and stores the admitted ones with {@code store}: for a
   * plan with a quota both in one transaction that holds the tenant's quota lock, so that no two
   * submissions count the same room.
   */
  <T> T admitAndStore(Tenant tenant, Plan plan, int wanted, Function<Admission, T> store) {
    if (plan.maxQueuedJobs() == null) {
      return store.apply(admit(tenant, plan, wanted));
    }
    return tx.executeWrite(status -> store.apply(admit(tenant, plan, wanted)));
  }

  /** Takes one submission from the tenant's allowance and stores it, or refuses with 429. */
  void admitAndStore(Tenant tenant, Plan plan, Runnable store) {
    admitAndStore(
        tenant,
        plan,
        1,
        admission -> {
          if (admission.refusal() != null) {
            throw admission.refusal();
          }
          store.run();
          return admission;
        });
  }

  /**
   * How many of {@code wanted} new jobs (a batch, in order) the tenant's allowance takes now: the
   * first {@code admitted} of them; the rest are refused for {@code refusal}, null when all fit.
   */
  record Admission(int admitted, @Nullable TooManyRequestsException refusal) {}

  Admission admit(Tenant tenant, Plan plan, int wanted) {
    int room = wanted;
    TooManyRequestsException refusal = null;
    if (plan.maxQueuedJobs() != null) {
      jobs.lockQuota(tenant.id());
      long unfinished = jobs.countUnfinished(tenant.id());
      if (unfinished + wanted > plan.maxQueuedJobs()) {
        room = (int) Math.max(0, plan.maxQueuedJobs() - unfinished);
        refusal =
            new TooManyRequestsException(
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
    if (plan.submitRate() != null && room > 0) {
      Bucket bucket = buckets.computeIfAbsent(tenant.id(), id -> new Bucket());
      Bucket.Taken taken =
          bucket.takeUpTo(room, plan.submitRate(), plan.submitBucket(), System.nanoTime());
      if (taken.count() < room) {
        room = taken.count();
        refusal =
            new TooManyRequestsException(
                "tenant '"
                    + tenant.name()
                    + "' submits faster than plan "
                    + plan.name()
                    + " allows ("
                    + plan.submitRate()
                    + " jobs/s, bursts of "
                    + plan.submitBucket()
                    + ")",
                taken.retryAfter());
      }
    }
    return new Admission(room, refusal);
  }

  /** Tokens refill at {@code rate} per second up to {@code capacity}; one per submission. */
  static final class Bucket {
    private double tokens = -1;
    private long refilledAt;

    /** Zero if a token was taken, else how long until one will be there. */
    synchronized Duration take(int rate, int capacity, long nowNanos) {
      return takeUpTo(1, rate, capacity, nowNanos).retryAfter();
    }

    /** Tokens taken, up to {@code wanted}, and if short how long until the next will be there. */
    record Taken(int count, Duration retryAfter) {}

    synchronized Taken takeUpTo(int wanted, int rate, int capacity, long nowNanos) {
      if (tokens < 0) {
        tokens = capacity;
      } else {
        tokens = Math.min(capacity, tokens + (nowNanos - refilledAt) * rate / 1e9);
      }
      refilledAt = nowNanos;
      int count = (int) Math.min(wanted, Math.floor(tokens));
      tokens -= count;
      if (count == wanted) {
        return new Taken(count, Duration.ZERO);
      }
      return new Taken(count, Duration.ofNanos((long) Math.ceil((1 - tokens) * 1e9 / rate)));
    }
  }
}
