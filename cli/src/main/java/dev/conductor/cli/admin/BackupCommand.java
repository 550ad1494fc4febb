package dev.conductor.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.InvalidInputException;
import dev.conductor.cli.Json;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Save the conductor's state (tenants, their resources and sealed secrets, operations, jobs,"
          + " workers) to a zip file, taken at one moment while the conductor runs.",
      "The secrets key is not in it: keep CONDUCTOR_SECRETS_KEY (or the home's secret.key) apart;"
          + " 'conductor admin restore' needs it."
    })
public final class BackupCommand implements Callable<Integer> {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  @Mixin ConnectionOptions connection;

  @Parameters(
      arity = "0..1",
      paramLabel = "FILE",
      description =
          "Where to write it; it must not exist yet (default: conductor-backup-<UTC time>.zip"
              + " here). Readable by its owner only.")
  @Nullable
  Path file;

  @Override
  public Integer call() throws IOException {
    Path target =
        file != null ? file : Path.of("conductor-backup-" + STAMP.format(Instant.now()) + ".zip");
    if (Files.exists(target)) {
      throw new InvalidInputException(target + " exists: name a new file");
    }
    Path absolute = target.toAbsolutePath();
    Path partial =
        Files.createTempFile(
            absolute.getParent(),
            ".conductor-backup-",
            ".partial",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      // Written into the owner-only file made above (a copy that replaced it would not be).
      try (InputStream in = connection.client().backup();
          OutputStream out = Files.newOutputStream(partial)) {
        in.transferTo(out);
      }
      JsonNode manifest = manifest(partial);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
      JsonNode rows = manifest.path("rows");
      connection
          .out()
          .printf(
              "wrote %s (%d bytes): %d tenants, %d operations, %d jobs, %d workers%n",
              target,
              Files.size(target),
              rows.path("tenants").asLong(),
              rows.path("operations").asLong(),
              rows.path("jobs").asLong(),
              rows.path("workers").asLong());
      connection.out().flush();
      return ExitCodes.OK;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** The backup's manifest: read back, so a file cut short is never left looking complete. */
  private static JsonNode manifest(Path backup) {
    try (ZipFile zip = new ZipFile(backup.toFile())) {
      ZipEntry entry = zip.getEntry("manifest.json");
      if (entry == null) {
        throw new InvalidInputException("the server's answer is not a conductor backup");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        return Json.MAPPER.readTree(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the backup written is unreadable: " + e.getMessage(), e);
    }
  }
}
