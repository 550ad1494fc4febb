package dev.conductor.audit;

import dev.conductor.api.PageCursor;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Table {@code audit_events}: appended to by {@link AuditFilter}, read newest first in pages. */
@Singleton
public class AuditLog {
  /** One recorded request. */
  public record Event(
      UUID id,
      Instant at,
      String actor,
      String role,
      String action,
      String method,
      String path,
      @Nullable String tenant,
      int status,
      @Nullable String requestId) {}

  /** Which events a page holds; a null field does not filter. */
  public record Filter(@Nullable String tenant, @Nullable String actor, @Nullable Instant since) {}

  private final TransactionOperations<Connection> tx;

  AuditLog(TransactionOperations<Connection> tx) {
    this.tx = tx;
  }

  public void append(Event event) {
    tx.executeWrite(
        status -> {
          try (PreparedStatement insert =
              status
                  .getConnection()
                  .prepareStatement(
                      "INSERT INTO audit_events (id, at, actor, role, action, method, path, tenant,"
                          + " status, request_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setObject(1, event.id());
            insert.setTimestamp(2, Timestamp.from(event.at()));
            insert.setString(3, event.actor());
            insert.setString(4, event.role());
            insert.setString(5, event.action());
            insert.setString(6, event.method());
            insert.setString(7, event.path());
            insert.setString(8, event.tenant());
            insert.setInt(9, event.status());
            insert.setString(10, event.requestId());
            insert.executeUpdate();
            return null;
          } catch (SQLException e) {
            throw new IllegalStateException("could not append to the audit log", e);
          }
        });
  }

  /** Up to {@code limit} events after {@code after}, newest first. */
  public List<Event> page(Filter filter, @Nullable PageCursor after, int limit) {
    return tx.executeRead(
        status -> {
          try (PreparedStatement query =
              status
                  .getConnection()
                  .prepareStatement(
                      "SELECT * FROM audit_events"
                          + " WHERE (CAST(? AS text) IS NULL OR tenant = ?)"
                          + " AND (CAST(? AS text) IS NULL OR actor = ?)"
                          + " AND (CAST(? AS timestamptz) IS NULL OR at >= ?)"
                          + " AND (CAST(? AS timestamptz) IS NULL OR (at, id) < (?, CAST(? AS uuid)))"
                          + " ORDER BY at DESC, id DESC LIMIT ?")) {
            query.setString(1, filter.tenant());
            query.setString(2, filter.tenant());
            query.setString(3, filter.actor());
            query.setString(4, filter.actor());
            Timestamp since = filter.since() == null ? null : Timestamp.from(filter.since());
            query.setTimestamp(5, since);
            query.setTimestamp(6, since);
            Timestamp afterAt = after == null ? null : Timestamp.from(after.createdAt());
            query.setTimestamp(7, afterAt);
            query.setTimestamp(8, afterAt);
            query.setObject(9, after == null ? null : after.id());
            query.setInt(10, limit);
            List<Event> events = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
              while (rows.next()) {
                events.add(event(rows));
              }
            }
            return events;
          } catch (SQLException e) {
            throw new IllegalStateException("could not read the audit log", e);
          }
        });
  }

  private static Event event(ResultSet row) throws SQLException {
    int status = row.getInt("status");
    return new Event(
        row.getObject("id", UUID.class),
        row.getTimestamp("at").toInstant(),
        row.getString("actor"),
        row.getString("role"),
        row.getString("action"),
        row.getString("method"),
        row.getString("path"),
        row.getString("tenant"),
        status,
        row.getString("request_id"));
  }
}
