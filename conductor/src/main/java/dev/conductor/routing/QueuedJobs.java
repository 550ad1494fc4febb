package dev.conductor.routing;

import dev.conductor.job.Job;
import dev.conductor.job.JobStatus;
import dev.conductor.routing.Router.Headroom;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's queue as a routing pass reads and writes it, in the pass's transaction: only as many
 * of the oldest QUEUED jobs of each placement as that placement can take (never the backlog), and
 * the dispatch of one worker's jobs in one statement.
 */
@Singleton
class QueuedJobs {
  private static final String COLUMNS =
      "id, type, payload, affinity_key, idempotency_key, attempts, max_attempts, timeout_ms,"
          + " not_before, created_at, updated_at, location, traceparent";
  private static final String DISPATCHABLE =
      "tenant_id = ? AND status = 'QUEUED' AND (not_before IS NULL OR not_before <= now())";

  // Per placement with workers, the oldest jobs it can take; elsewhere, the placements without
  // workers whose oldest jobs are oldest, each up to what its new workers can take. The placements
  // are found by a skip scan of the placement index (one probe per placement), never by reading
  // the backlog: a placement with workers and 100,000 queued jobs costs this part one probe.
  static final String HEAD =
      "WITH RECURSIVE placements(affinity_key, location) AS ("
          + "(SELECT affinity_key, location FROM jobs WHERE tenant_id = ? AND status = 'QUEUED'"
          + " ORDER BY affinity_key, location LIMIT 1)"
          + " UNION ALL SELECT n.affinity_key, n.location FROM placements q CROSS JOIN LATERAL"
          + " (SELECT affinity_key, location FROM jobs WHERE tenant_id = ? AND status = 'QUEUED'"
          + " AND (affinity_key, location) > (q.affinity_key, q.location)"
          + " ORDER BY affinity_key, location LIMIT 1) n),"
          + " fresh AS (SELECT q.affinity_key, q.location FROM placements q CROSS JOIN LATERAL"
          + " (SELECT created_at FROM jobs WHERE "
          + DISPATCHABLE
          + " AND affinity_key = q.affinity_key AND location = q.location"
          + " ORDER BY created_at LIMIT 1) h"
          + " WHERE (q.affinity_key, q.location) NOT IN"
          + " (SELECT * FROM unnest(?::text[], ?::text[])) ORDER BY h.created_at LIMIT ?)"
          + " (SELECT j.* FROM unnest(?::text[], ?::text[], ?::int[]) AS p(affinity_key, location, n)"
          + " CROSS JOIN LATERAL (SELECT "
          + COLUMNS
          + " FROM jobs WHERE "
          + DISPATCHABLE
          + " AND affinity_key = p.affinity_key AND location = p.location"
          + " ORDER BY created_at LIMIT p.n) j)"
          + " UNION ALL (SELECT j.* FROM fresh f CROSS JOIN LATERAL (SELECT "
          + COLUMNS
          + " FROM jobs WHERE "
          + DISPATCHABLE
          + " AND affinity_key = f.affinity_key AND location = f.location"
          + " ORDER BY created_at LIMIT ?) j ORDER BY created_at LIMIT ?)"
          + " ORDER BY created_at";

  private static final String DISPATCH =
      "UPDATE jobs SET status = 'DISPATCHED', worker_id = ?, attempts = attempts + 1,"
          + " dispatched_at = ?, updated_at = ? WHERE id = ANY(?) AND status = 'QUEUED'"
          + " RETURNING id";

  private final TransactionOperations<Connection> tx;

  QueuedJobs(TransactionOperations<Connection> tx) {
    this.tx = tx;
  }

  /** The jobs the pass may act on, oldest first: at most what {@code room} can take. */
  List<Job> head(UUID tenantId, Headroom room) {
    Connection connection = tx.getConnection();
    try (PreparedStatement select = prepareHead(connection, HEAD, tenantId, room)) {
      List<Job> jobs = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          jobs.add(job(rows, tenantId));
        }
      }
      return jobs;
    } catch (SQLException e) {
      throw new IllegalStateException("reading the queue of tenant " + tenantId + " failed", e);
    }
  }

  /** {@code sql} is {@link #HEAD}, or a statement around it (an EXPLAIN), with its parameters. */
  static PreparedStatement prepareHead(
      Connection connection, String sql, UUID tenantId, Headroom room) throws SQLException {
    Map<Placement, Integer> at = room.perPlacement();
    List<String> keys = new ArrayList<>(at.size());
    List<String> locations = new ArrayList<>(at.size());
    List<Integer> counts = new ArrayList<>(at.size());
    at.forEach(
        (placement, n) -> {
          keys.add(placement.affinityKey());
          locations.add(placement.location());
          counts.add(n);
        });
    Array keyArray = connection.createArrayOf("text", keys.toArray());
    Array locationArray = connection.createArrayOf("text", locations.toArray());
    PreparedStatement select = connection.prepareStatement(sql);
    try {
      int i = 0;
      select.setObject(++i, tenantId);
      select.setObject(++i, tenantId);
      select.setObject(++i, tenantId);
      select.setArray(++i, keyArray);
      select.setArray(++i, locationArray);
      select.setInt(++i, room.newPlacements());
      select.setArray(++i, keyArray);
      select.setArray(++i, locationArray);
      select.setArray(++i, connection.createArrayOf("int4", counts.toArray()));
      select.setObject(++i, tenantId);
      select.setObject(++i, tenantId);
      select.setInt(++i, room.perNewPlacement());
      select.setInt(++i, room.elsewhere());
      return select;
    } catch (SQLException e) {
      select.close();
      throw e;
    }
  }

  /** QUEUED → DISPATCHED to {@code workerId}, attempt counted; returns the jobs that changed. */
  List<UUID> dispatch(UUID workerId, Collection<UUID> jobIds, Instant now) {
    Connection connection = tx.getConnection();
    try (PreparedStatement update = connection.prepareStatement(DISPATCH)) {
      update.setObject(1, workerId);
      update.setObject(2, now.atOffset(ZoneOffset.UTC));
      update.setObject(3, now.atOffset(ZoneOffset.UTC));
      update.setArray(4, connection.createArrayOf("uuid", jobIds.toArray()));
      List<UUID> changed = new ArrayList<>(jobIds.size());
      try (ResultSet rows = update.executeQuery()) {
        while (rows.next()) {
          changed.add(rows.getObject(1, UUID.class));
        }
      }
      return changed;
    } catch (SQLException e) {
      throw new IllegalStateException("dispatching to worker " + workerId + " failed", e);
    }
  }

  private static Job job(ResultSet row, UUID tenantId) throws SQLException {
    return new Job(
        row.getObject("id", UUID.class),
        tenantId,
        row.getString("type"),
        row.getString("payload"),
        row.getString("affinity_key"),
        row.getString("idempotency_key"),
        JobStatus.QUEUED,
        row.getInt("attempts"),
        row.getInt("max_attempts"),
        row.getLong("timeout_ms"),
        null,
        null,
        null,
        instant(row, "not_before"),
        null,
        requireInstant(row, "created_at"),
        null,
        null,
        requireInstant(row, "updated_at"),
        row.getString("location"),
        row.getString("traceparent"));
  }

  private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }

  private static Instant requireInstant(ResultSet row, String column) throws SQLException {
    Instant value = instant(row, column);
    if (value == null) {
      throw new SQLException(column + " is null");
    }
    return value;
  }
}
