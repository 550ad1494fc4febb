package dev.conductor.backup;

import dev.conductor.openapi.OperatorApi;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.support.DefaultTransactionDefinition;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/admin/backup}: the conductor's state as a {@link StateBackup} zip, taken while it
 * runs. It is written to an owner-only temporary file first, so a slow client holds no database
 * transaction open; the file is gone once the answer is sent.
 */
@Controller("/v1/admin/backup")
@Tag(name = "admin")
@OperatorApi
public class BackupController {
  private static final Logger LOG = LoggerFactory.getLogger(BackupController.class);
  private static final MediaType ZIP = MediaType.of("application/zip");
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final TransactionOperations<Connection> tx;
  private final Clock clock;

  BackupController(TransactionOperations<Connection> tx, Clock clock) {
    this.tx = tx;
    this.clock = clock;
  }

  private static TransactionDefinition snapshot() {
    DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
    definition.setIsolationLevel(TransactionDefinition.Isolation.REPEATABLE_READ);
    definition.setReadOnly(true);
    return definition;
  }

  private static BackupManifest write(Connection connection, OutputStream out, Instant now) {
    try {
      return StateBackup.write(connection, out, now);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (SQLException e) {
      throw new IllegalStateException("backup: " + e.getMessage(), e);
    }
  }

  @Get
  @Produces("application/zip")
  @io.swagger.v3.oas.annotations.Operation(
      operationId = "backup",
      summary = "The conductor's state (tenants, operations, jobs, workers) as a zip")
  public HttpResponse<StreamedFile> backup() throws IOException {
    Instant now = clock.instant();
    Path file =
        Files.createTempFile(
            "conductor-backup-",
            ".zip",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      BackupManifest manifest;
      try (OutputStream out = Files.newOutputStream(file)) {
        manifest = tx.execute(snapshot(), status -> write(status.getConnection(), out, now));
      }
      long size = Files.size(file);
      InputStream in = Files.newInputStream(file);
      LOG.info(
          "backup taken schema={} rows={} bytes={}",
          manifest.schemaVersion(),
          manifest.rows(),
          size);
      return HttpResponse.ok(new StreamedFile(in, ZIP, now.toEpochMilli(), size))
          .header(
              "Content-Disposition",
              "attachment; filename=\"conductor-backup-" + STAMP.format(now) + ".zip\"");
    } finally {
      // Open streams keep reading a deleted file; nothing is left behind either way.
      Files.deleteIfExists(file);
    }
  }
}
