package dev.conductor.job;

import dev.conductor.api.TooManyRequestsException;
import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.notification.DatabaseNotifications.Channel;
import dev.conductor.tenant.Tenant;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Long-polls on a job ({@code GET /v1/jobs/{id}?wait=}): woken by {@link DatabaseNotifications},
 * holding no thread while they wait, at most {@code conductor.jobs.max-waits-per-tenant} at once
 * per tenant in each conductor replica.
 */
@Singleton
public class JobWaits {
  private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  private final JobService service;
  private final DatabaseNotifications notifications;
  private final Executor blocking;
  private final Clock clock;
  private final int maxPerTenant;
  private final Map<UUID, AtomicInteger> waiting = new ConcurrentHashMap<>();

  JobWaits(
      JobService service,
      DatabaseNotifications notifications,
      @Named(TaskExecutors.BLOCKING) Executor blocking,
      Clock clock,
      JobSettings settings) {
    this.service = service;
    this.notifications = notifications;
    this.blocking = blocking;
    this.clock = clock;
    this.maxPerTenant = settings.maxWaitsPerTenant();
  }

  /** The job once it has ended, or as it is when {@code wait} runs out. */
  public CompletableFuture<Job> await(Tenant tenant, String id, Duration wait) {
    Job job = service.get(tenant, id);
    if (job.status().ended() || wait.isZero()) {
      return CompletableFuture.completedFuture(job);
    }
    AtomicInteger count = waiting.computeIfAbsent(tenant.id(), key -> new AtomicInteger());
    if (count.incrementAndGet() > maxPerTenant) {
      count.decrementAndGet();
      throw new TooManyRequestsException(
          "tenant '"
              + tenant.name()
              + "' already has "
              + maxPerTenant
              + " requests waiting for jobs, the most allowed; wait with fewer at once",
          RETRY_AFTER);
    }
    try {
      return awaitUntil(tenant, job.id(), clock.instant().plus(wait))
          .whenComplete((ended, error) -> count.decrementAndGet());
    } catch (RuntimeException e) {
      count.decrementAndGet();
      throw e;
    }
  }

  /** Long-polls of the tenant waiting on this replica now. */
  int waiting(UUID tenantId) {
    AtomicInteger count = waiting.get(tenantId);
    return count == null ? 0 : count.get();
  }

  private CompletableFuture<Job> awaitUntil(Tenant tenant, UUID id, Instant deadline) {
    // Listen before reading, so an end between the two is not missed.
    CompletableFuture<Void> end = notifications.next(Channel.JOB_ENDED, id.toString());
    Job job;
    try {
      job = service.get(tenant, id.toString());
    } catch (RuntimeException e) {
      end.cancel(false);
      throw e;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    if (job.status().ended() || left.isNegative() || left.isZero()) {
      end.cancel(false);
      return CompletableFuture.completedFuture(job);
    }
    return end.completeOnTimeout(null, left.toMillis() + 1, TimeUnit.MILLISECONDS)
        .thenComposeAsync(woken -> awaitUntil(tenant, id, deadline), blocking);
  }
}
