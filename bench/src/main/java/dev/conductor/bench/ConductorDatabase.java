package dev.conductor.bench;

import dev.conductor.ConductorServer;
import io.micronaut.context.ApplicationContext;
import jakarta.annotation.Nullable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A read-only look into the conductor's database for what the API does not show: timestamps along a
 * job's path (jobs.dispatched_at, workers.stopped_at), a tenant's backlog through the partial
 * indexes (cheap, unlike listing), and PostgreSQL's own counters. Never writes.
 */
final class ConductorDatabase implements AutoCloseable {
  // One connection of its own, kept open: connecting per query cost more than the queries.
  private final Connection connection;

  ConductorDatabase(ConductorServer server) {
    ApplicationContext context = server.context();
    try {
      connection =
          DriverManager.getConnection(
              context.getRequiredProperty("datasources.default.url", String.class),
              context.getRequiredProperty("datasources.default.username", String.class),
              context.getRequiredProperty("datasources.default.password", String.class));
      connection.setReadOnly(true);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot connect to the conductor's database", e);
    }
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      // the server is stopping anyway
    }
  }

  /** A job's times as its row has them: null until the job gets that far. */
  record JobTimes(
      UUID id,
      @Nullable Instant createdAt,
      @Nullable Instant dispatchedAt,
      @Nullable Instant startedAt,
      @Nullable Instant finishedAt,
      @Nullable UUID workerId) {}

  record WorkerTimes(
      UUID id,
      @Nullable Instant startedAt,
      @Nullable Instant lastActivityAt,
      @Nullable Instant stoppedAt,
      String state) {}

  synchronized List<JobTimes> jobs(Collection<String> ids) {
    String sql =
        "SELECT id, created_at, dispatched_at, started_at, finished_at, worker_id FROM jobs"
            + " WHERE id = ANY (?)";
    List<JobTimes> found = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          found.add(
              new JobTimes(
                  rows.getObject(1, UUID.class),
                  instant(rows.getTimestamp(2)),
                  instant(rows.getTimestamp(3)),
                  instant(rows.getTimestamp(4)),
                  instant(rows.getTimestamp(5)),
                  rows.getObject(6, UUID.class)));
        }
      }
      return found;
    } catch (SQLException e) {
      throw new IllegalStateException("reading job timestamps failed", e);
    }
  }

  /** The worker's row, or null if there is none. */
  synchronized @Nullable WorkerTimes worker(UUID id) {
    String sql =
        "SELECT id, started_at, last_activity_at, stopped_at, state FROM workers WHERE id = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setObject(1, id);
      try (ResultSet rows = statement.executeQuery()) {
        if (!rows.next()) {
          return null;
        }
        return new WorkerTimes(
            rows.getObject(1, UUID.class),
            instant(rows.getTimestamp(2)),
            instant(rows.getTimestamp(3)),
            instant(rows.getTimestamp(4)),
            rows.getString(5));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading worker timestamps failed", e);
    }
  }

  /** Jobs of the tenant waiting (QUEUED) and in flight (DISPATCHED, RUNNING). */
  record Backlog(long queued, long inFlight) {
    long total() {
      return queued + inFlight;
    }
  }

  synchronized Backlog backlog(String tenant) {
    String queued =
        "SELECT count(*) FROM jobs WHERE status = 'QUEUED'"
            + " AND tenant_id = (SELECT id FROM tenants WHERE name = ? AND status = 'READY')";
    String inFlight =
        "SELECT count(*) FROM jobs WHERE status IN ('DISPATCHED', 'RUNNING')"
            + " AND tenant_id = (SELECT id FROM tenants WHERE name = ? AND status = 'READY')";
    try {
      return new Backlog(count(queued, tenant), count(inFlight, tenant));
    } catch (SQLException e) {
      throw new IllegalStateException("reading the backlog failed", e);
    }
  }

  /** Jobs of the tenant that started (startedAt) in [from, to): a dispatch rate over a window. */
  synchronized long startedBetween(String tenant, Instant from, Instant to) {
    String sql =
        "SELECT count(*) FROM jobs WHERE started_at >= ? AND started_at < ?"
            + " AND tenant_id = (SELECT id FROM tenants WHERE name = ? AND status = 'READY')";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setTimestamp(1, Timestamp.from(from));
      statement.setTimestamp(2, Timestamp.from(to));
      statement.setString(3, tenant);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("counting started jobs failed", e);
    }
  }

  /** PostgreSQL's counters for the conductor's database (pg_stat_database). */
  record Counters(long commits, long rowsInserted, long rowsUpdated, long rowsFetched) {
    Counters minus(Counters before) {
      return new Counters(
          commits - before.commits,
          rowsInserted - before.rowsInserted,
          rowsUpdated - before.rowsUpdated,
          rowsFetched - before.rowsFetched);
    }
  }

  synchronized Counters counters() {
    String sql =
        "SELECT xact_commit, tup_inserted, tup_updated, tup_fetched FROM pg_stat_database"
            + " WHERE datname = current_database()";
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = statement.executeQuery()) {
      rows.next();
      return new Counters(rows.getLong(1), rows.getLong(2), rows.getLong(3), rows.getLong(4));
    } catch (SQLException e) {
      throw new IllegalStateException("reading pg_stat_database failed", e);
    }
  }

  private long count(String sql, String tenant) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tenant);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant();
  }

  /** NaN when either end is missing, so a sample without it shows as such. */
  static double millisBetween(@Nullable Instant from, @Nullable Instant to) {
    if (from == null || to == null) {
      return Double.NaN;
    }
    return (to.getEpochSecond() - from.getEpochSecond()) * 1000.0
        + (to.getNano() - from.getNano()) / 1_000_000.0;
  }
}
