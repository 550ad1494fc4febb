package dev.conductor.job;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Jobs. Every state change is a conditional update on (status, attempt) so that duplicated, late or
 * reordered reports from workers change nothing.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface JobRepository extends CrudRepository<Job, UUID> {

  @Query("SELECT * FROM jobs WHERE id = :id AND tenant_id = :tenantId")
  Optional<Job> findForTenant(UUID id, UUID tenantId);

  @Query("SELECT * FROM jobs WHERE tenant_id = :tenantId AND idempotency_key = :key")
  Optional<Job> findByIdempotencyKey(UUID tenantId, String key);

  @Query("SELECT * FROM jobs WHERE tenant_id = :tenantId AND idempotency_key IN (:keys)")
  List<Job> findByIdempotencyKeys(UUID tenantId, Collection<String> keys);

  @Query(
      "SELECT EXISTS (SELECT 1 FROM jobs WHERE tenant_id = :tenantId AND status = 'QUEUED'"
          + " AND (not_before IS NULL OR not_before <= now()))")
  boolean hasDispatchable(UUID tenantId);

  /** One index probe per tenant that stops at its first dispatchable job: never the backlog. */
  @Query(
      "SELECT t.id FROM tenants t WHERE EXISTS (SELECT 1 FROM jobs j WHERE j.tenant_id = t.id"
          + " AND j.status = 'QUEUED' AND (j.not_before IS NULL OR j.not_before <= now()))")
  List<UUID> findTenantsWithDispatchableJobs();

  /**
   * Jobs of the tenant that have not ended: the sum of its shards of {@code queued_job_counts},
   * which triggers keep in the transactions that change its jobs (V16), so at most 16 rows.
   */
  @Query(
      "SELECT CAST(coalesce(sum(unfinished), 0) AS bigint) FROM queued_job_counts"
          + " WHERE tenant_id = :tenantId")
  long countUnfinished(UUID tenantId);

  /**
   * Takes the tenant's quota lock until the transaction ends (an advisory lock, class 16), so that
   * a submission's count and its insert are not interleaved with another submission's.
   */
  @Query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(16, hashtext(CAST(:tenantId AS text)))) l")
  int lockQuota(UUID tenantId);

  /**
   * Deletes up to {@code batch} jobs of tenants on {@code plan} that ended before {@code cutoff};
   * ended jobs are never locked by dispatch, and SKIP LOCKED lets replicas sweep side by side.
   */
  @Query(
      "DELETE FROM jobs WHERE id IN (SELECT j.id FROM jobs j JOIN tenants t ON t.id = j.tenant_id"
          + " WHERE t.plan = :plan AND j.status IN ('SUCCEEDED', 'FAILED', 'CANCELLED')"
          + " AND j.finished_at < :cutoff LIMIT :batch FOR UPDATE OF j SKIP LOCKED)")
  int deleteEndedBefore(String plan, Instant cutoff, int batch);

  /** By id: the order in which reports lock jobs too (WorkerReports), so the two never deadlock. */
  @Query(
      "SELECT * FROM jobs WHERE worker_id = :workerId AND status IN ('DISPATCHED', 'RUNNING')"
          + " ORDER BY id")
  List<Job> findInFlight(UUID workerId);

  @Query(
      "SELECT EXISTS (SELECT 1 FROM jobs WHERE worker_id = :workerId"
          + " AND status IN ('DISPATCHED', 'RUNNING'))")
  boolean hasInFlight(UUID workerId);

  @Query(
      "SELECT count(*) FROM jobs WHERE worker_id = :workerId"
          + " AND status IN ('DISPATCHED', 'RUNNING')")
  long countInFlightOn(UUID workerId);

  @Query(
      "SELECT * FROM jobs WHERE status = 'DISPATCHED' AND dispatched_at < :before"
          + " ORDER BY dispatched_at LIMIT 100")
  List<Job> findDispatchedBefore(Instant before);

  @Query(
      "UPDATE jobs SET status = 'FAILED', error = :error, finished_at = :now,"
          + " started_at = COALESCE(started_at, :now), updated_at = :now"
          + " WHERE id = :id AND attempts = :attempt AND status IN ('DISPATCHED', 'RUNNING')")
  int markFailed(UUID id, int attempt, String error, Instant now);

  /** Back to the queue for another attempt, not before {@code notBefore}. */
  @Query(
      "UPDATE jobs SET status = 'QUEUED', error = :error, not_before = :notBefore,"
          + " updated_at = :now WHERE id = :id AND attempts = :attempt"
          + " AND status IN ('DISPATCHED', 'RUNNING')")
  int requeue(UUID id, int attempt, String error, Instant notBefore, Instant now);

  /** What ending an attempt did: nothing (a late or repeated report), requeued or failed. */
  enum AttemptEnd {
    NONE,
    REQUEUED,
    FAILED
  }

  /**
   * Ends the job's current attempt: back to the queue with {@code error}, not before {@code
   * notBefore}, if it is retryable and has attempts left; else FAILED with {@code failure}.
   */
  default AttemptEnd requeueOrFail(
      Job job, boolean retryable, String error, String failure, Instant notBefore, Instant now) {
    if (retryable && job.attempts() < job.maxAttempts()) {
      return requeue(job.id(), job.attempts(), error, notBefore, now) == 1
          ? AttemptEnd.REQUEUED
          : AttemptEnd.NONE;
    }
    return markFailed(job.id(), job.attempts(), failure, now) == 1
        ? AttemptEnd.FAILED
        : AttemptEnd.NONE;
  }

  @Query(
      "UPDATE jobs SET status = 'CANCELLED', finished_at = :now, updated_at = :now"
          + " WHERE id = :id AND status = 'QUEUED'")
  int cancelQueued(UUID id, Instant now);

  @Query(
      "SELECT worker_id, count(*) AS count FROM jobs WHERE tenant_id = :tenantId"
          + " AND status IN ('DISPATCHED', 'RUNNING') AND worker_id IS NOT NULL GROUP BY worker_id")
  List<InFlightCount> countInFlight(UUID tenantId);

  /** Offboarding: every job of the tenant that has not ended is cancelled. */
  @Query(
      "UPDATE jobs SET status = 'CANCELLED', error = :reason, finished_at = :now, updated_at = :now"
          + " WHERE tenant_id = :tenantId AND status IN ('QUEUED', 'DISPATCHED', 'RUNNING')")
  int cancelAllOf(UUID tenantId, String reason, Instant now);

  /**
   * Jobs still RUNNING {@code grace} after their timeout: their worker should have reported the
   * timeout itself, so it is presumed hung.
   */
  @Query(
      "SELECT * FROM jobs WHERE status = 'RUNNING'"
          + " AND started_at + make_interval(secs => (timeout_ms + :graceMs) / 1000.0) < now()"
          + " LIMIT 100")
  List<Job> findOverdue(long graceMs);
}
