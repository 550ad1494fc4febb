package dev.conductor.operation;

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
public interface OperationRepository extends CrudRepository<Operation, UUID> {

  @Query("SELECT * FROM operations WHERE tenant_id = :tenantId ORDER BY created_at DESC LIMIT 1")
  Optional<Operation> findLatestForTenant(UUID tenantId);

  @Query(
      "SELECT * FROM operations WHERE tenant_id = :tenantId AND status IN ('QUEUED', 'RUNNING')"
          + " LIMIT 1")
  Optional<Operation> findActiveForTenant(UUID tenantId);

  /** The latest operation that changes resources: the one a retry re-runs. */
  @Query(
      "SELECT * FROM operations WHERE tenant_id = :tenantId"
          + " AND kind NOT IN ('REFRESH', 'PREVIEW')"
          + " ORDER BY created_at DESC LIMIT 1")
  Optional<Operation> findLatestChangeForTenant(UUID tenantId);

  /**
   * One page of every tenant's operations, newest first, each filter skipped when null; {@code
   * tenant} is a name, so a tenant deleted and created again shows its whole history.
   */
  @Query(
      "SELECT * FROM operations"
          + " WHERE (CAST(:tenant AS text) IS NULL"
          + "        OR tenant_id IN (SELECT id FROM tenants WHERE name = :tenant))"
          + " AND (CAST(:kind AS text) IS NULL OR kind = :kind)"
          + " AND (CAST(:status AS text) IS NULL OR status = :status)"
          + " AND (CAST(:since AS timestamptz) IS NULL OR created_at >= :since)"
          + " AND (CAST(:until AS timestamptz) IS NULL OR created_at < :until)"
          + " AND (CAST(:beforeCreatedAt AS timestamptz) IS NULL"
          + "      OR (created_at, id) < (:beforeCreatedAt, :beforeId))"
          + " ORDER BY created_at DESC, id DESC LIMIT :limit")
  List<Operation> findPage(
      @Nullable String tenant,
      @Nullable String kind,
      @Nullable String status,
      @Nullable Instant since,
      @Nullable Instant until,
      @Nullable Instant beforeCreatedAt,
      @Nullable UUID beforeId,
      int limit);

  @Query("SELECT * FROM operations WHERE id = :id FOR UPDATE")
  Optional<Operation> lockById(UUID id);
}
