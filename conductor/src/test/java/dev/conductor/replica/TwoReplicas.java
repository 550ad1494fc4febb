package dev.conductor.replica;

import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Settings for conductor replicas in one test: the same secrets key and admin token on each, short
 * leases, and a plan ("wide") roomy enough for hundreds of jobs at once; the second replica reaches
 * the first one's PostgreSQL and broker.
 */
final class TwoReplicas {
  private TwoReplicas() {}

  /** What every replica of one test shares. */
  static Map<String, Object> shared() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    properties.put("conductor.secrets.key", Base64.getEncoder().encodeToString(key));
    properties.put("conductor.admin-token", "replicas-" + UUID.randomUUID() + UUID.randomUUID());
    properties.put("conductor.replica.heartbeat-interval", "500ms");
    properties.put("conductor.replica.lease", "3s");
    properties.put("conductor.plans.wide.worker-capacity", 4);
    properties.put("conductor.plans.wide.max-workers-per-key", 3);
    properties.put("conductor.plans.wide.max-workers-per-tenant", 6);
    properties.put("conductor.plans.wide.idle-timeout", "3s");
    properties.put("conductor.plans.wide.max-attempts", 3);
    properties.put("conductor.plans.wide.job-timeout", "1m");
    properties.put("conductor.plans.wide.max-payload-bytes", 65536);
    properties.put("conductor.plans.wide.submit-rate", 1000);
    properties.put("conductor.plans.wide.submit-burst", 1000);
    properties.put("conductor.plans.wide.max-queued-jobs", 1000);
    return properties;
  }

  /** The replica id of a conductor running in this JVM. */
  static UUID replicaOf(RunningConductor conductor) {
    return conductor.server().context().getBean(ReplicaLease.class).id();
  }

  /** Rows of a query with one text column, read as the superuser. */
  static List<String> column(RunningConductor conductor, String sql, Object... parameters) {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query = db.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        query.setObject(i + 1, parameters[i]);
      }
      List<String> values = new ArrayList<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          values.add(rows.getString(1));
        }
      }
      return values;
    } catch (SQLException e) {
      throw new AssertionError(e);
    }
  }
}
