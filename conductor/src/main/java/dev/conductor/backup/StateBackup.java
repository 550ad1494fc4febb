package dev.conductor.backup;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/**
 * Writes the conductor's state as a zip: each table as CSV with a header ({@code COPY ... TO
 * STDOUT}), then {@link BackupManifest}. The caller reads all tables in one repeatable-read
 * transaction, so the backup is one consistent moment while the conductor keeps running. Sealed
 * secrets stay sealed: the key that opens them is not in the backup.
 */
public final class StateBackup {
  static final ObjectMapper JSON = new ObjectMapper();

  private StateBackup() {}

  /** Runs inside the caller's repeatable-read transaction: every table as of one moment. */
  public static BackupManifest write(Connection connection, OutputStream out, Instant now)
      throws SQLException, IOException {
    try (ZipOutputStream zip = new ZipOutputStream(out)) {
      String schema = schemaVersion(connection);
      CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
      Map<String, Long> rows = new LinkedHashMap<>();
      OutputStream entry = keepOpen(zip);
      for (String table : BackupManifest.TABLES) {
        zip.putNextEntry(new ZipEntry(BackupManifest.entry(table)));
        rows.put(table, copy.copyOut("COPY " + table + " TO STDOUT (FORMAT csv, HEADER)", entry));
        zip.closeEntry();
      }
      BackupManifest manifest =
          new BackupManifest(
              BackupManifest.FORMAT, BackupManifest.FORMAT_VERSION, schema, now.toString(), rows);
      zip.putNextEntry(new ZipEntry(BackupManifest.ENTRY));
      JSON.writerWithDefaultPrettyPrinter().writeValue(entry, manifest);
      zip.closeEntry();
      return manifest;
    }
  }

  /** The version of the last migration applied: the schema the rows fit. */
  static String schemaVersion(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet result =
            statement.executeQuery(
                "SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                    + " ORDER BY installed_rank DESC LIMIT 1")) {
      if (!result.next()) {
        throw new SQLException("the conductor's database has no schema yet");
      }
      return result.getString(1);
    }
  }

  /** The zip's stream for one entry, which Jackson and COPY must not close. */
  private static OutputStream keepOpen(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(byte[] bytes, int offset, int length) throws IOException {
        out.write(bytes, offset, length);
      }

      @Override
      public void close() throws IOException {
        flush();
      }
    };
  }
}
