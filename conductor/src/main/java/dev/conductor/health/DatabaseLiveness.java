package dev.conductor.health;

import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the conductor's database answers right now, probed on a connection of its own (so a busy
 * pool never reads as an outage). Health and the API's fail-fast both ask this one signal.
 */
@Singleton
public class DatabaseLiveness {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseLiveness.class);
  private final String url;
  private final Properties credentials = new Properties();
  private final Duration interval;
  private final Duration timeout;
  private final Clock clock;
  private volatile Instant lastAnswer;
  @Nullable private volatile Instant downSince;
  @Nullable private Connection connection;

  DatabaseLiveness(
      @Named("default") DatasourceConfiguration datasource,
      DatabaseProbeSettings settings,
      Clock clock) {
    this.url = datasource.getUrl();
    this.interval = settings.probeInterval();
    this.timeout = settings.probeTimeout();
    String user = datasource.getUsername();
    String password = datasource.getPassword();
    this.clock = clock;
    int seconds = (int) Math.max(1, timeout.toSeconds());
    if (user != null && !user.isEmpty()) {
      credentials.setProperty("user", user);
    }
    if (password != null && !password.isEmpty()) {
      credentials.setProperty("password", password);
    }
    credentials.setProperty("connectTimeout", Integer.toString(seconds));
    credentials.setProperty("loginTimeout", Integer.toString(seconds));
    credentials.setProperty("socketTimeout", Integer.toString(seconds));
    credentials.setProperty("ApplicationName", "conductor-liveness");
    // The application started, so the database answered a moment ago.
    this.lastAnswer = clock.instant();
  }

  /**
   * False from the first failed probe until one succeeds again; a probe stuck far past its timeout
   * counts as failed.
   */
  public boolean isUp() {
    Instant overdue = lastAnswer.plus(interval).plus(timeout.multipliedBy(4));
    return downSince == null && clock.instant().isBefore(overdue);
  }

  /** When the current outage was first seen, or null while the database answers. */
  @Nullable
  public Instant downSince() {
    if (downSince == null && !isUp()) {
      return lastAnswer;
    }
    return downSince;
  }

  /** How long a client should wait before trying again. */
  public Duration retryAfter() {
    return interval.plus(timeout);
  }

  // A scheduler of its own: other scheduled work stuck on the database must not delay the probe.
  @Scheduled(
      fixedDelay = "${conductor.database.probe-interval}",
      initialDelay = "${conductor.database.probe-interval}",
      scheduler = "database-liveness")
  synchronized void probe() {
    try {
      if (connection == null || connection.isClosed()) {
        connection = DriverManager.getConnection(url, credentials);
        connection.setNetworkTimeout(Runnable::run, (int) timeout.toMillis());
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT 1");
      }
      if (downSince != null) {
        LOG.info("database reachable again after outage since={}", downSince);
      }
      lastAnswer = clock.instant();
      downSince = null;
    } catch (SQLException e) {
      if (downSince == null) {
        downSince = clock.instant();
        LOG.warn("database unreachable sqlState={}", e.getSQLState(), e);
      }
      closeConnection();
    }
  }

  @PreDestroy
  synchronized void closeConnection() {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // it is broken already
      }
      connection = null;
    }
  }
}
