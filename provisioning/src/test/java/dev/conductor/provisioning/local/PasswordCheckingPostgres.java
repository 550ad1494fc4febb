package dev.conductor.provisioning.local;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * An embedded PostgreSQL that checks passwords over TCP. Zonky's initdb trusts everyone, so the
 * server is started once to set the superuser password, then restarted with a SCRAM pg_hba.conf: a
 * restart, unlike a reload, is in force before the next connection.
 */
public final class PasswordCheckingPostgres implements AutoCloseable {
  public static final String SUPERUSER = "postgres";
  public static final String SUPERUSER_PASSWORD = "admin-secret-for-tests";
  private static final String HBA =
      """
      local all all trust
      host all all 127.0.0.1/32 scram-sha-256
      host all all ::1/128 scram-sha-256
      """;

  private final EmbeddedPostgres postgres;

  private PasswordCheckingPostgres(EmbeddedPostgres postgres) {
    this.postgres = postgres;
  }

  public static PasswordCheckingPostgres start(Path dataDirectory)
      throws IOException, SQLException {
    try (EmbeddedPostgres trusting = builder(dataDirectory).start();
        Connection admin = trusting.getPostgresDatabase().getConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("SET password_encryption = 'scram-sha-256'");
      statement.execute("ALTER ROLE postgres PASSWORD '" + SUPERUSER_PASSWORD + "'");
    }
    Files.writeString(dataDirectory.resolve("pg_hba.conf"), HBA);
    // Zonky probes readiness as the superuser over TCP, so the probe needs the password too.
    return new PasswordCheckingPostgres(
        builder(dataDirectory).setConnectConfig("password", SUPERUSER_PASSWORD).start());
  }

  /**
   * Zonky waits 10 s for the server by default, which a busy machine can exceed (twice per start
   * here); production's EmbeddedPostgresServer waits 60 s.
   */
  private static EmbeddedPostgres.Builder builder(Path dataDirectory) {
    return EmbeddedPostgres.builder()
        .setDataDirectory(dataDirectory)
        .setPGStartupWait(Duration.ofSeconds(60))
        .setCleanDataDirectory(false)
        .setServerConfig("password_encryption", "scram-sha-256");
  }

  public int port() {
    return postgres.getPort();
  }

  public String jdbcUrl(String database) {
    return "jdbc:postgresql://localhost:" + port() + "/" + database;
  }

  public Connection connect(String database, String user, String password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", password);
    return DriverManager.getConnection(jdbcUrl(database), properties);
  }

  public Connection admin() throws SQLException {
    return connect("postgres", SUPERUSER, SUPERUSER_PASSWORD);
  }

  @Override
  public void close() throws IOException {
    postgres.close();
  }
}
