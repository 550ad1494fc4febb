package dev.conductor.operation;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
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
      "SELECT * FROM operations WHERE tenant_id = :tenantId AND kind <> 'REFRESH'"
          + " ORDER BY created_at DESC LIMIT 1")
  Optional<Operation> findLatestChangeForTenant(UUID tenantId);

  @Query("SELECT * FROM operations WHERE id = :id FOR UPDATE")
  Optional<Operation> lockById(UUID id);
}
