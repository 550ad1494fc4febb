package dev.conductor.replica;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.UUID;

/** The replicas table; every lease is computed on the database's clock. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ReplicaRepository extends GenericRepository<ReplicaRow, UUID> {

  /** Registers the replica, or renews its lease; returns 1. */
  @Query(
      "INSERT INTO replicas (id, host, started_at, lease_until)"
          + " VALUES (:id, :host, now(), now() + make_interval(secs => :leaseMs / 1000.0))"
          + " ON CONFLICT (id) DO UPDATE SET"
          + " lease_until = now() + make_interval(secs => :leaseMs / 1000.0)")
  int renew(UUID id, String host, long leaseMs);

  @Query("DELETE FROM replicas WHERE id = :id")
  int release(UUID id);

  /** Rows of replicas whose lease ran out long ago and that own no live worker any more. */
  @Query(
      "DELETE FROM replicas r WHERE r.lease_until < now() - make_interval(secs => :afterMs / 1000.0)"
          + " AND NOT EXISTS (SELECT 1 FROM workers w WHERE w.owner_replica = r.id"
          + " AND w.state IN ('STARTING', 'READY', 'DRAINING'))")
  int forgetExpired(long afterMs);
}
