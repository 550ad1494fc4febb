package dev.conductor.tenant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface TenantRepository extends CrudRepository<Tenant, UUID> {

  /** The tenant holding this name, if any; DELETED ones have released it. */
  @Query("SELECT * FROM tenants WHERE name = :name AND status <> 'DELETED'")
  Optional<Tenant> findLive(String name);

  /**
   * The live tenant, else the most recently deleted one, so a finished offboarding stays visible.
   */
  @Query(
      "SELECT * FROM tenants WHERE name = :name"
          + " ORDER BY (status = 'DELETED'), updated_at DESC LIMIT 1")
  Optional<Tenant> findLatest(String name);

  @Query("SELECT * FROM tenants WHERE status <> 'DELETED' ORDER BY name")
  List<Tenant> findAllLive();

  /**
   * One page of live tenants by name after {@code afterName}, each filter skipped when null; walks
   * the live-name index in order.
   */
  @Query(
      "SELECT * FROM tenants WHERE status <> 'DELETED'"
          + " AND (CAST(:status AS text) IS NULL OR status = :status)"
          + " AND (CAST(:plan AS text) IS NULL OR plan = :plan)"
          + " AND (CAST(:namePrefix AS text) IS NULL OR starts_with(name, :namePrefix))"
          + " AND (CAST(:afterName AS text) IS NULL OR name > :afterName)"
          + " ORDER BY name LIMIT :limit")
  List<Tenant> findLivePage(
      @Nullable String status,
      @Nullable String plan,
      @Nullable String namePrefix,
      @Nullable String afterName,
      int limit);

  List<Tenant> findByIdIn(Collection<UUID> ids);

  @Query("SELECT * FROM tenants WHERE api_key_hash = :hash")
  Optional<Tenant> findByApiKeyHash(String hash);

  @Query("SELECT * FROM tenants WHERE id = :id FOR UPDATE")
  Optional<Tenant> lockById(UUID id);
}
