package dev.conductor.job;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.jdbc.runtime.JdbcOperations;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * One page of a tenant's jobs, newest first, its SQL built from the filters given. One statement
 * with every filter optional ({@code :x IS NULL OR ...}) let PostgreSQL settle on a generic plan
 * after a few runs that could use neither the time range nor the cursor to narrow the index scan:
 * on a tenant of 100,000 jobs it read all of them for a page (116–172 ms against 0.07 ms).
 */
@Singleton
class JobPages {
  private final JdbcOperations jdbc;

  JobPages(JdbcOperations jdbc) {
    this.jdbc = jdbc;
  }

  @Transactional
  List<Job> find(
      UUID tenantId,
      JobFilter filter,
      @Nullable Instant beforeCreatedAt,
      @Nullable UUID beforeId,
      int limit) {
    StringBuilder sql = new StringBuilder("SELECT * FROM jobs WHERE tenant_id = ?");
    List<Object> values = new ArrayList<>();
    values.add(tenantId);
    if (filter.status() != null) {
      sql.append(" AND status = ?");
      values.add(filter.status().name());
    }
    if (filter.type() != null) {
      sql.append(" AND type = ?");
      values.add(filter.type());
    }
    if (filter.affinityKey() != null) {
      sql.append(" AND affinity_key = ?");
      values.add(filter.affinityKey());
    }
    if (filter.since() != null) {
      sql.append(" AND created_at >= ?");
      values.add(Timestamp.from(filter.since()));
    }
    if (filter.until() != null) {
      sql.append(" AND created_at < ?");
      values.add(Timestamp.from(filter.until()));
    }
    if (beforeCreatedAt != null && beforeId != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      values.add(Timestamp.from(beforeCreatedAt));
      values.add(beforeId);
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    values.add(limit);
    return jdbc.prepareStatement(
        sql.toString(),
        (PreparedStatement statement) -> {
          for (int i = 0; i < values.size(); i++) {
            statement.setObject(i + 1, values.get(i));
          }
          try (ResultSet rows = statement.executeQuery()) {
            return jdbc.entityStream(rows, Job.class).toList();
          }
        });
  }
}
