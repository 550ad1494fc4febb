package dev.conductor.home;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded default database: a real PostgreSQL (zonky binaries) whose data lives in the
 * conductor home, so state survives restarts. Password authentication is switched on after the
 * first initdb so that tenant roles are checked like on any server.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedPostgresServer.class);
  public static final String SUPERUSER = "postgres";
  public static final String DATABASE = "conductor";

  private final EmbeddedPostgres postgres;
  private final String password;

  private EmbeddedPostgresServer(EmbeddedPostgres postgres, String password) {
    this.postgres = postgres;
    this.password = password;
  }

  public static EmbeddedPostgresServer start(Path dataDirectory, String superuserPassword) {
    stopOrphanedPostmaster(dataDirectory);
    try {
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(dataDirectory)
              .setCleanDataDirectory(false)
              .setConnectConfig("password", superuserPassword)
              .setPGStartupWait(Duration.ofSeconds(60))
              .setServerConfig("max_connections", "200")
              .start();
      EmbeddedPostgresServer server = new EmbeddedPostgresServer(postgres, superuserPassword);
      server.secure(dataDirectory);
      server.createConductorDatabase();
      LOG.info("embedded postgres started port={} data={}", postgres.getPort(), dataDirectory);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded PostgreSQL in " + dataDirectory, e);
    }
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  public String password() {
    return password;
  }

  /** Sets the superuser password and requires passwords from everyone (initdb trusts all). */
  private void secure(Path dataDirectory) throws IOException {
    Path hba = dataDirectory.resolve("pg_hba.conf");
    List<String> rules =
        List.of(
            "# Written by conductor: every role authenticates with its password.",
            "local all all scram-sha-256",
            "host all all 127.0.0.1/32 scram-sha-256",
            "host all all ::1/128 scram-sha-256");
    if (Files.readAllLines(hba).equals(rules)) {
      return;
    }
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      s.execute("SET password_encryption = 'scram-sha-256'");
      try (PreparedStatement p =
          c.prepareStatement("SELECT format('ALTER ROLE postgres PASSWORD %L', ?)")) {
        p.setString(1, password);
        try (ResultSet rs = p.executeQuery()) {
          rs.next();
          s.execute(rs.getString(1));
        }
      }
      Files.write(hba, rules);
      s.execute("SELECT pg_reload_conf()");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot secure embedded PostgreSQL: " + e.getMessage(), e);
    }
  }

  private void createConductorDatabase() {
    try (Connection c = postgres.getPostgresDatabase().getConnection();
        Statement s = c.createStatement()) {
      try (ResultSet rs =
          s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("CREATE DATABASE " + DATABASE);
      // Tenant roles must never reach the conductor's state.
      s.execute("REVOKE CONNECT ON DATABASE " + DATABASE + " FROM PUBLIC");
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create the conductor database: " + e.getMessage(), e);
    }
  }

  /**
   * A conductor killed with SIGKILL leaves its postmaster running; we hold the home lock, so any
   * postmaster on this data directory is ours to stop before starting a fresh one.
   */
  private static void stopOrphanedPostmaster(Path dataDirectory) {
    Path pidFile = dataDirectory.resolve("postmaster.pid");
    if (!Files.exists(pidFile)) {
      return;
    }
    try {
      long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
      ProcessHandle.of(pid)
          .ifPresent(
              process -> {
                LOG.warn("stopping orphaned embedded postgres pid={}", pid);
                process.destroy();
                process.onExit().orTimeout(30, java.util.concurrent.TimeUnit.SECONDS).join();
              });
    } catch (IOException | RuntimeException e) {
      LOG.warn("could not check stale postmaster.pid: {}", e.toString());
    }
  }

  @Override
  public void close() {
    try {
      postgres.close();
    } catch (IOException e) {
      LOG.warn("embedded postgres did not stop cleanly: {}", e.toString());
    }
  }
}
