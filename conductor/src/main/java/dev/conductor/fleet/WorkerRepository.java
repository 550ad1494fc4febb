package dev.conductor.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WorkerRepository extends CrudRepository<WorkerInstance, UUID> {

  @Query("SELECT * FROM workers WHERE id = :id FOR UPDATE")
  Optional<WorkerInstance> lockById(UUID id);

  @Query(
      "SELECT * FROM workers WHERE tenant_id = :tenantId"
          + " AND state IN ('STARTING', 'READY', 'DRAINING') ORDER BY started_at")
  List<WorkerInstance> findLive(UUID tenantId);

  /**
   * The tenant's live workers, locked: a teardown deciding on one of them waits for the routing
   * pass, and the routing pass sees the teardown's outcome.
   */
  @Query(
      "SELECT * FROM workers WHERE tenant_id = :tenantId"
          + " AND state IN ('STARTING', 'READY', 'DRAINING') ORDER BY started_at FOR UPDATE")
  List<WorkerInstance> lockLive(UUID tenantId);

  @Query("SELECT * FROM workers WHERE state IN ('STARTING', 'READY', 'DRAINING')")
  List<WorkerInstance> findAllLive();

  /**
   * Live workers of other replicas whose owner's lease ran out (or that have no owner, from before
   * replicas): candidates for {@link #adopt}.
   */
  @Query(
      "SELECT * FROM workers w WHERE w.state IN ('STARTING', 'READY', 'DRAINING')"
          + " AND w.owner_replica IS DISTINCT FROM :adopter"
          + " AND NOT EXISTS (SELECT 1 FROM replicas r WHERE r.id = w.owner_replica"
          + " AND r.lease_until > now())")
  List<WorkerInstance> findOrphaned(UUID adopter);

  /**
   * Takes the live worker over from {@code previous}, its owner when it was read: of two replicas
   * adopting it at once, one changes the owner (1), the other finds it changed (0).
   */
  @Query(
      "UPDATE workers SET owner_replica = :adopter WHERE id = :id"
          + " AND owner_replica IS NOT DISTINCT FROM CAST(:previous AS uuid)"
          + " AND state IN ('STARTING', 'READY', 'DRAINING')")
  int adopt(UUID id, @Nullable UUID previous, UUID adopter);

  @Query(
      "SELECT * FROM workers WHERE (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId)"
          + " AND (state IN ('STARTING', 'READY', 'DRAINING') OR :includeEnded)"
          + " ORDER BY started_at DESC LIMIT 500")
  List<WorkerInstance> findForListing(@Nullable UUID tenantId, boolean includeEnded);

  /**
   * STARTING → READY with its first teardown armed for {@code due} under a new generation; returns
   * the generation (empty if the worker was not STARTING).
   */
  @Query(
      "WITH ready AS (UPDATE workers SET state = 'READY', generation = generation + 1,"
          + " teardown_due_at = :due, last_heartbeat_at = :now, last_activity_at = :now"
          + " WHERE id = :id AND state = 'STARTING' RETURNING generation)"
          + " SELECT generation FROM ready")
  Optional<Long> markReady(UUID id, Instant now, Instant due);

  @Query("UPDATE workers SET last_heartbeat_at = :now WHERE id = :id")
  int heartbeat(UUID id, Instant now);

  /**
   * Arms a teardown of a READY worker for {@code due} under a new generation, so that teardowns
   * sent before it are stale; generations are computed here and in {@link #markReady} only. Returns
   * the new one (empty if the worker is not READY).
   */
  @Query(
      "WITH armed AS (UPDATE workers SET generation = generation + 1, teardown_due_at = :due,"
          + " last_activity_at = :lastActivityAt WHERE id = :id AND state = 'READY'"
          + " RETURNING generation) SELECT generation FROM armed")
  Optional<Long> armTeardown(UUID id, Instant lastActivityAt, Instant due);

  /** The worker is busy: no teardown armed until it is idle again. */
  @Query("UPDATE workers SET teardown_due_at = NULL WHERE id = :id")
  int disarmTeardown(UUID id);

  /** Which of these workers are the tenant's (a report names its worker: it must be one). */
  @Query("SELECT id FROM workers WHERE tenant_id = :tenantId AND id IN (:ids)")
  List<UUID> findIdsOfTenant(UUID tenantId, Collection<UUID> ids);

  /** Work was handed to or ended on these workers, in one statement for a whole routing pass. */
  @Query("UPDATE workers SET last_activity_at = :now WHERE id IN (:ids)")
  int recordActivity(Collection<UUID> ids, Instant now);

  @Query(
      "UPDATE workers SET runtime = :runtime, runtime_ref = :ref, egress_address = :egress"
          + " WHERE id = :id")
  int recordRuntimeRef(UUID id, String runtime, String ref, @Nullable String egress);

  @Query(
      "UPDATE workers SET state = 'DRAINING', stop_reason = :reason WHERE id = :id"
          + " AND state IN ('STARTING', 'READY')")
  int markDraining(UUID id, String reason);

  @Query(
      "UPDATE workers SET state = :state, stopped_at = :now,"
          + " stop_reason = COALESCE(stop_reason, :reason)"
          + " WHERE id = :id AND state IN ('STARTING', 'READY', 'DRAINING')")
  int markEnded(UUID id, String state, String reason, Instant now);

  /** Workers of the tenant that ended LOST without ever reporting ready, since {@code since}. */
  @Query(
      "SELECT count(*) FROM workers WHERE tenant_id = :tenantId AND state = 'LOST'"
          + " AND last_heartbeat_at IS NULL AND stopped_at > :since")
  long countFailedStartsSince(UUID tenantId, Instant since);
}
