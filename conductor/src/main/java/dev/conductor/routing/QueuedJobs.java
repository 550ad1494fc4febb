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
          + " not_before, created_at, updated_at, location";
  private static final String DISPATCHABLE =
      "tenant_id = ? AND status = 'QUEUED' AND (not_before IS NULL OR not_before <= now())";

  // Per placement with workers, the oldest jobs it can take; elsewhere, what new workers can take.
  private static final String HEAD =
      "(SELECT j.* FROM unnest(?::text[], ?::text[], ?::int[]) AS p(affinity_key, location, n)"
          + " CROSS JOIN LATERAL (SELECT "
          + COLUMNS
          + " FROM jobs WHERE "
          + DISPATCHABLE
          + " AND affinity_key = p.affinity_key AND location = p.location"
          + " ORDER BY created_at LIMIT p.n) j)"
          + " UNION ALL (SELECT "
          + COLUMNS
          + " FROM jobs WHERE "
          + DISPATCHABLE
          + " AND (affinity_key, location) NOT IN"
          + " (SELECT * FROM unnest(?::text[], ?::text[])) ORDER BY created_at LIMIT ?)"
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
    try (PreparedStatement select = connection.prepareStatement(HEAD)) {
      Array keyArray = connection.createArrayOf("text", keys.toArray());
      Array locationArray = connection.createArrayOf("text", locations.toArray());
      select.setArray(1, keyArray);
      select.setArray(2, locationArray);
      select.setArray(3, connection.createArrayOf("int4", counts.toArray()));
      select.setObject(4, tenantId);
      select.setObject(5, tenantId);
      select.setArray(6, keyArray);
      select.setArray(7, locationArray);
      select.setInt(8, room.elsewhere());
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
        row.getString("location"));
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
