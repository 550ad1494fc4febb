package dev.conductor.job;

import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * New jobs of one tenant stored by one multi-row INSERT in one transaction: one commit for a whole
 * batch, not one per job. A job whose idempotency key another submission took meanwhile is skipped
 * (ON CONFLICT DO NOTHING), never failing the others.
 */
@Singleton
class JobInserts {
  private final JdbcOperations jdbc;

  JobInserts(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  /**
   * Inserts the jobs (all QUEUED, of one tenant, sharing attempts and timeout) and returns the ids
   * of those stored; the others lost their idempotency key to a job stored before.
   */
  @Transactional
  Set<UUID> insertQueued(UUID tenantId, int maxAttempts, long timeoutMs, List<Job> jobs) {
    if (jobs.isEmpty()) {
      return Set.of();
    }
    int n = jobs.size();
    UUID[] ids = new UUID[n];
    String[] types = new String[n];
    String[] payloads = new String[n];
    String[] affinityKeys = new String[n];
    String[] idempotencyKeys = new String[n];
    String[] locations = new String[n];
    String[] createdAt = new String[n];
    String[] traceparents = new String[n];
    for (int i = 0; i < n; i++) {
      Job job = jobs.get(i);
      ids[i] = job.id();
      types[i] = job.type();
      payloads[i] = job.payload();
      affinityKeys[i] = job.affinityKey();
      idempotencyKeys[i] = job.idempotencyKey();
      locations[i] = job.location();
      createdAt[i] = job.createdAt().toString();
      traceparents[i] = job.traceparent();
    }
    return jdbc.prepareStatement(
        "INSERT INTO jobs (id, tenant_id, type, payload, affinity_key, idempotency_key, status,"
            + " attempts, max_attempts, timeout_ms, created_at, updated_at, location, traceparent)"
            + " SELECT j.id, ?, j.type, j.payload, j.affinity_key, j.idempotency_key, 'QUEUED', 0,"
            + " ?, ?, j.created_at, j.created_at, j.location, j.traceparent"
            + " FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],"
            + " ?::timestamptz[], ?::text[])"
            + " AS j(id, type, payload, affinity_key, idempotency_key, location, created_at,"
            + " traceparent)"
            + " ON CONFLICT DO NOTHING RETURNING id",
        (PreparedStatement statement) -> {
          Connection connection = statement.getConnection();
          statement.setObject(1, tenantId);
          statement.setInt(2, maxAttempts);
          statement.setLong(3, timeoutMs);
          statement.setArray(4, connection.createArrayOf("uuid", ids));
          statement.setArray(5, text(connection, types));
          statement.setArray(6, text(connection, payloads));
          statement.setArray(7, text(connection, affinityKeys));
          statement.setArray(8, text(connection, idempotencyKeys));
          statement.setArray(9, text(connection, locations));
          statement.setArray(10, text(connection, createdAt));
          statement.setArray(11, text(connection, traceparents));
          Set<UUID> stored = new HashSet<>();
          try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
              stored.add(rows.getObject(1, UUID.class));
            }
          }
          return stored;
        });
  }

  private static Array text(Connection connection, String[] values) throws SQLException {
    return connection.createArrayOf("text", values);
  }
}
