package dev.conductor.backup;

import dev.conductor.secret.SecretBox;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Loads a {@link StateBackup} into a conductor database that holds no state yet: migrates it to the
 * backup's schema version, loads every table in one transaction (nothing is kept if anything
 * fails), checks that the secrets key in effect opens the backup's sealed secrets, then migrates to
 * this conductor's latest schema.
 */
public final class StateRestore {
  private static final String MIGRATIONS = "classpath:db/migration";

  /** Where to restore into: the conductor's database, and the key its conductor will run with. */
  public record Target(String jdbcUrl, String user, String password, SecretBox secrets) {
    @Override
    public String toString() {
      return "Target[" + jdbcUrl + " as " + user + "]";
    }
  }

  private StateRestore() {}

  /**
   * @throws RestoreRefusedException when the backup cannot go into this database; nothing changed
   */
  public static BackupManifest restore(Path file, Target target, Consumer<String> progress)
      throws IOException, SQLException {
    try (ZipFile zip = open(file)) {
      BackupManifest manifest = manifest(zip);
      MigrationVersion version = MigrationVersion.fromVersion(manifest.schemaVersion());
      Flyway toBackup = flyway(target).target(version).load();
      MigrationInfo[] known = toBackup.info().all();
      MigrationVersion latest = known[known.length - 1].getVersion();
      if (version.isNewerThan(latest.getVersion())) {
        throw new RestoreRefusedException(
            "the backup is from a newer conductor (schema "
                + version
                + "); this one knows schema "
                + latest
                + " at most: restore with that version or a later one");
      }
      MigrationInfo current = toBackup.info().current();
      if (current != null && current.getVersion().isNewerThan(version.getVersion())) {
        throw new RestoreRefusedException(
            "the database already has schema "
                + current.getVersion()
                + ", newer than the backup's "
                + version
                + ": restore into a new conductor home or an empty database");
      }
      try (Connection connection =
          DriverManager.getConnection(target.jdbcUrl(), target.user(), target.password())) {
        // Refused before the schema is touched: a database with state stays as it was.
        requireEmpty(connection);
        toBackup.migrate();
        connection.setAutoCommit(false);
        CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
        for (String table : BackupManifest.TABLES) {
          if (!manifest.rows().containsKey(table)
              && zip.getEntry(BackupManifest.entry(table)) == null) {
            // A backup taken before the table existed: its schema has none to load.
            continue;
          }
          long rows = load(zip, table, copy);
          Long expected = manifest.rows().get(table);
          if (expected == null || rows != expected) {
            throw new RestoreRefusedException(
                BackupManifest.entry(table)
                    + " has "
                    + rows
                    + " rows, the manifest says "
                    + expected);
          }
          progress.accept(table + ": " + rows + " rows");
        }
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "SELECT setval(pg_get_serial_sequence('operation_events', 'id'),"
                  + " COALESCE((SELECT max(id) FROM operation_events), 0) + 1, false)");
        }
        requireKeyOpensSecrets(connection, target.secrets());
        connection.commit();
      }
      int upgraded = flyway(target).load().migrate().migrationsExecuted;
      if (upgraded > 0) {
        progress.accept("schema: " + upgraded + " migration(s) applied after the backup's");
      }
      return manifest;
    }
  }

  private static ZipFile open(Path file) throws IOException {
    try {
      return new ZipFile(file.toFile());
    } catch (ZipException e) {
      throw new RestoreRefusedException(file + " is not a conductor backup (not a zip file)");
    }
  }

  private static BackupManifest manifest(ZipFile zip) throws IOException {
    ZipEntry entry = zip.getEntry(BackupManifest.ENTRY);
    if (entry == null) {
      throw new RestoreRefusedException(
          zip.getName() + " is not a conductor backup (no " + BackupManifest.ENTRY + ")");
    }
    BackupManifest manifest;
    try (InputStream in = zip.getInputStream(entry)) {
      manifest = StateBackup.JSON.readValue(in, BackupManifest.class);
    } catch (com.fasterxml.jackson.core.JacksonException e) {
      throw new RestoreRefusedException(
          zip.getName() + " is not a conductor backup (unreadable " + BackupManifest.ENTRY + ")");
    }
    if (!BackupManifest.FORMAT.equals(manifest.format())
        || manifest.formatVersion() != BackupManifest.FORMAT_VERSION
        || manifest.schemaVersion() == null
        || manifest.rows() == null) {
      throw new RestoreRefusedException(
          zip.getName()
              + " is not a conductor backup of format "
              + BackupManifest.FORMAT_VERSION
              + " (format "
              + manifest.format()
              + " "
              + manifest.formatVersion()
              + ")");
    }
    return manifest;
  }

  private static org.flywaydb.core.api.configuration.FluentConfiguration flyway(Target target) {
    return Flyway.configure()
        .dataSource(target.jdbcUrl(), target.user(), target.password())
        .locations(MIGRATIONS);
  }

  /** Each of the conductor's tables that exists is empty (an older schema may lack some). */
  private static void requireEmpty(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String table : BackupManifest.TABLES) {
        if (!exists(statement, table)) {
          continue;
        }
        try (ResultSet result =
            statement.executeQuery("SELECT EXISTS (SELECT 1 FROM " + table + ")")) {
          result.next();
          if (result.getBoolean(1)) {
            throw new RestoreRefusedException(
                "the conductor's database already holds "
                    + table
                    + ": restore into a new conductor home or an empty database");
          }
        }
      }
    }
  }

  private static boolean exists(Statement statement, String table) throws SQLException {
    try (ResultSet result =
        statement.executeQuery("SELECT to_regclass('" + table + "') IS NOT NULL")) {
      result.next();
      return result.getBoolean(1);
    }
  }

  /** COPY of one table, its columns named by the CSV's header (their order may differ). */
  private static long load(ZipFile zip, String table, CopyManager copy)
      throws IOException, SQLException {
    ZipEntry entry = zip.getEntry(BackupManifest.entry(table));
    if (entry == null) {
      throw new RestoreRefusedException(
          zip.getName() + " lacks " + BackupManifest.entry(table) + ": not a complete backup");
    }
    try (InputStream in = zip.getInputStream(entry)) {
      String header = headerLine(in);
      List<String> columns =
          Arrays.stream(header.split(",", -1)).map(StateRestore::column).toList();
      String sql =
          "COPY " + table + " (" + String.join(", ", columns) + ") FROM STDIN (FORMAT csv)";
      return copy.copyIn(sql, in);
    }
  }

  /** The first line, read byte by byte so that the rest stays in {@code in} for COPY. */
  private static String headerLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
      line.append((char) b);
    }
    return line.toString().strip();
  }

  /** A header cell is a plain column name: anything else is not ours, and never reaches SQL. */
  private static String column(String cell) {
    String name = cell.strip();
    if (!name.matches("[a-z_][a-z0-9_]*")) {
      throw new RestoreRefusedException("not a conductor backup: column " + name + " in a header");
    }
    return name;
  }

  private static void requireKeyOpensSecrets(Connection connection, SecretBox secrets)
      throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT secrets FROM tenant_resources WHERE secrets IS NOT NULL LIMIT 1")) {
      if (!result.next()) {
        return;
      }
      try {
        secrets.open(Objects.requireNonNull(result.getBytes(1)));
      } catch (IllegalStateException e) {
        throw new RestoreRefusedException(
            "the secrets key in effect does not open this backup's secrets: give this conductor"
                + " the key of the conductor that was backed up (CONDUCTOR_SECRETS_KEY, or its"
                + " home's "
                + SecretBox.KEY_FILE
                + " copied into this home)");
      }
    }
  }
}
