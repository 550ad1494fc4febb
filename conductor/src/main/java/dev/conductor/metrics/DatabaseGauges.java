package dev.conductor.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.MultiGauge.Row;
import io.micrometer.core.instrument.Tags;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gauges read from the database, whole-fleet (every replica reports the same numbers): queue depth
 * and oldest queued job per tenant, live workers per tenant, runtime and state, tenants by status.
 * Three grouped queries per refresh, at most once per {@code conductor.metrics.gauge-refresh}, and
 * only when scraped.
 */
@Singleton
public class DatabaseGauges {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseGauges.class);
  // Every live tenant, with zero when nothing is queued (the jobs_queued partial index serves it).
  private static final String QUEUES =
      "SELECT t.name, count(j.id), min(j.created_at) FROM tenants t"
          + " LEFT JOIN jobs j ON j.tenant_id = t.id AND j.status = 'QUEUED'"
          + " WHERE t.status <> 'DELETED' GROUP BY t.name";
  // The console's overview counts tenants from this, never by listing 10,000 of them.
  private static final String TENANTS =
      "SELECT status, count(*) FROM tenants WHERE status <> 'DELETED' GROUP BY status";
  private static final String WORKERS =
      "SELECT t.name, coalesce(w.runtime, 'unknown'), w.state, count(*) FROM workers w"
          + " JOIN tenants t ON t.id = w.tenant_id"
          + " WHERE w.state IN ('STARTING', 'READY', 'DRAINING') GROUP BY 1, 2, 3";

  private final TransactionOperations<Connection> tx;
  private final MetricsSettings settings;
  private final Clock clock;
  private final MultiGauge queued;
  private final MultiGauge oldest;
  private final MultiGauge workers;
  private final MultiGauge tenants;
  private long refreshedAt;
  private boolean refreshed;

  DatabaseGauges(
      TransactionOperations<Connection> tx,
      MetricsSettings settings,
      Clock clock,
      MeterRegistry registry) {
    this.tx = tx;
    this.settings = settings;
    this.clock = clock;
    this.queued =
        MultiGauge.builder("conductor.jobs.queued")
            .description("Jobs waiting to be dispatched, per tenant")
            .register(registry);
    this.oldest =
        MultiGauge.builder("conductor.jobs.queued.oldest.age")
            .description("Age of the oldest queued job per tenant (0 when none)")
            .baseUnit("seconds")
            .register(registry);
    this.workers =
        MultiGauge.builder("conductor.workers")
            .description("Live workers (STARTING, READY, DRAINING) per tenant, runtime and state")
            .register(registry);
    this.tenants =
        MultiGauge.builder("conductor.tenants")
            .description("Tenants by status (DELETED ones not counted)")
            .register(registry);
  }

  /** Reads the gauges again if the last read is older than the refresh interval. */
  public synchronized void refreshIfStale() {
    long now = System.nanoTime();
    if (refreshed && now - refreshedAt < settings.gaugeRefresh().toNanos()) {
      return;
    }
    try {
      tx.executeRead(
          status -> {
            read(status.getConnection());
            return null;
          });
    } catch (RuntimeException e) {
      // The scrape still answers with the last values and every in-memory meter.
      LOG.warn("database gauges not refreshed: {}", e.toString());
    }
    refreshed = true;
    refreshedAt = now;
  }

  private void read(Connection connection) {
    List<Row<?>> depth = new ArrayList<>();
    List<Row<?>> age = new ArrayList<>();
    List<Row<?>> live = new ArrayList<>();
    List<Row<?>> byStatus = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(QUEUES);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        Tags tenant = Tags.of("tenant", rows.getString(1));
        depth.add(Row.of(tenant, rows.getLong(2)));
        OffsetDateTime first = rows.getObject(3, OffsetDateTime.class);
        Instant since = first == null ? null : first.toInstant();
        age.add(
            since == null
                ? Row.of(tenant, 0)
                : Row.of(tenant, since, s -> Math.max(0, clock.millis() - s.toEpochMilli()) / 1e3));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading queue gauges failed", e);
    }
    try (PreparedStatement select = connection.prepareStatement(WORKERS);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        live.add(
            Row.of(
                Tags.of(
                    "tenant",
                    rows.getString(1),
                    "runtime",
                    rows.getString(2),
                    "state",
                    rows.getString(3)),
                rows.getLong(4)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading worker gauges failed", e);
    }
    try (PreparedStatement select = connection.prepareStatement(TENANTS);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        byStatus.add(Row.of(Tags.of("status", rows.getString(1)), rows.getLong(2)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("reading tenant gauges failed", e);
    }
    queued.register(depth, true);
    tenants.register(byStatus, true);
    oldest.register(age, true);
    workers.register(live, true);
  }
}
