package dev.conductor.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.time.Instant;
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

  @Query(
      "SELECT * FROM workers WHERE (CAST(:tenantId AS uuid) IS NULL OR tenant_id = :tenantId)"
          + " AND (state IN ('STARTING', 'READY', 'DRAINING') OR :includeEnded)"
          + " ORDER BY started_at DESC LIMIT 500")
  List<WorkerInstance> findForListing(@Nullable UUID tenantId, boolean includeEnded);

  /**
   * STARTING → READY with a new generation, as the worker's first teardown is scheduled; returns
   * the generation (empty if the worker was not STARTING).
   */
  @Query(
      "WITH ready AS (UPDATE workers SET state = 'READY', generation = generation + 1,"
          + " last_heartbeat_at = :now, last_activity_at = :now"
          + " WHERE id = :id AND state = 'STARTING' RETURNING generation)"
          + " SELECT generation FROM ready")
  Optional<Long> markReady(UUID id, Instant now);

  @Query("UPDATE workers SET last_heartbeat_at = :now WHERE id = :id")
  int heartbeat(UUID id, Instant now);

  /**
   * A new generation for a live worker (it got work, or went idle): teardowns scheduled before it
   * are stale from now on. Generations are computed here and in {@link #markReady} only; returns
   * the new one (empty if the worker has ended).
   */
  @Query(
      "WITH bumped AS (UPDATE workers SET generation = generation + 1, last_activity_at = :now"
          + " WHERE id = :id AND state IN ('STARTING', 'READY', 'DRAINING')"
          + " RETURNING generation) SELECT generation FROM bumped")
  Optional<Long> nextGeneration(UUID id, Instant now);

  @Query("UPDATE workers SET teardown_token = :token WHERE id = :id AND generation = :generation")
  int recordTeardown(UUID id, long generation, @Nullable String token);

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
