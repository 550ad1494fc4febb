package dev.conductor.reports;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The started and succeeded reports' conditional updates of a job, each one statement that also
 * returns what the metrics need (no second query per job): the job's type as stored, never as a
 * worker reports it, and a time.
 */
@Singleton
class ReportedJobs {
  private static final String RUNNING =
      "UPDATE jobs SET status = 'RUNNING', started_at = ?, updated_at = ?"
          + " WHERE id = ? AND attempts = ? AND worker_id = ? AND status = 'DISPATCHED'"
          + " RETURNING type, created_at";

  // An end may arrive before its start report (or a job may end without one): started_at is then
  // the end, so that every ended job has started_at <= finished_at.
  private static final String SUCCEEDED =
      "UPDATE jobs SET status = 'SUCCEEDED', result = ?, error = NULL, finished_at = ?,"
          + " started_at = COALESCE(started_at, ?), updated_at = ?"
          + " WHERE id = ? AND attempts = ? AND worker_id = ? AND status IN ('DISPATCHED', 'RUNNING')"
          + " RETURNING type, started_at";

  private final TransactionOperations<Connection> tx;

  ReportedJobs(TransactionOperations<Connection> tx) {
    this.tx = tx;
  }

  /** A job a report changed: its type, and its submission (started) or start (succeeded). */
  record Changed(String type, Instant at) {}

  /** DISPATCHED → RUNNING, if it is the job's current attempt on that worker. */
  Optional<Changed> markRunning(UUID id, int attempt, UUID workerId, Instant now) {
    return update(RUNNING, now, null, id, attempt, workerId);
  }

  /** DISPATCHED or RUNNING → SUCCEEDED, if it is the job's current attempt on that worker. */
  Optional<Changed> markSucceeded(UUID id, int attempt, UUID workerId, String result, Instant now) {
    return update(SUCCEEDED, now, result, id, attempt, workerId);
  }

  private Optional<Changed> update(
      String sql, Instant now, @Nullable String result, UUID id, int attempt, UUID workerId) {
    return tx.executeWrite(
        status -> {
          try (PreparedStatement update = status.getConnection().prepareStatement(sql)) {
            OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
            int i = 1;
            if (result != null) {
              update.setString(i++, result);
              update.setObject(i++, at);
            }
            update.setObject(i++, at);
            update.setObject(i++, at);
            update.setObject(i++, id);
            update.setInt(i++, attempt);
            update.setObject(i, workerId);
            try (ResultSet rows = update.executeQuery()) {
              if (!rows.next()) {
                return Optional.<Changed>empty();
              }
              return Optional.of(
                  new Changed(
                      rows.getString(1), rows.getObject(2, OffsetDateTime.class).toInstant()));
            }
          } catch (SQLException e) {
            throw new IllegalStateException("updating job " + id + " failed", e);
          }
        });
  }
}
