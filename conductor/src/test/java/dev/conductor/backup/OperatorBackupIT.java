package dev.conductor.backup;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conductor.ConductorServer;
import dev.conductor.secret.SecretBox;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Named operator tokens and the audit log are in the backup and come back with a restore; a backup
 * taken before they existed still restores.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OperatorBackupIT {
  private static final List<String> NEW_TABLES = List.of("operator_tokens", "audit_events");
  private final List<Path> homes = new ArrayList<>();

  @AfterEach
  void deleteHomes() {
    homes.forEach(RunningConductor::deleteRecursively);
  }

  @Test
  void tokensAndAuditComeBackAndAnOlderBackupStillRestores() throws Exception {
    Path original = home();
    Path backup = Files.createTempFile("conductor-backup", ".zip");
    Path older = Files.createTempFile("conductor-backup-older", ".zip");
    try {
      String token;
      try (RunningConductor conductor = RunningConductor.start(settings(original))) {
        HttpResponse<String> created =
            conductor.postJson(
                "/v1/admin/operators", "{\"name\":\"backed\",\"role\":\"read-only\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        token = Json.parse(created.body()).get("token").asText();
        HttpResponse<byte[]> answer =
            HttpClient.newHttpClient()
                .send(
                    conductor.admin("/v1/admin/backup").GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        Files.write(backup, answer.body());
      }

      Path fresh = restorable(original);
      List<String> progress = new ArrayList<>();
      BackupManifest restored = ConductorServer.restore(settings(fresh), backup, progress::add);
      assertThat(restored.rows()).containsEntry("operator_tokens", 1L);
      assertThat(progress).contains("operator_tokens: 1 rows", "audit_events: 1 rows");
      try (RunningConductor conductor = RunningConductor.start(settings(fresh))) {
        assertThat(as(conductor, token).statusCode()).isEqualTo(200);
        assertThat(
                Json.parse(conductor.get("/v1/admin/audit?actor=admin").body())
                    .get("items")
                    .findValuesAsText("action"))
            .contains("operator.create");
      }

      withoutNewTables(backup, older);
      Path another = restorable(original);
      List<String> olderProgress = new ArrayList<>();
      ConductorServer.restore(settings(another), older, olderProgress::add);
      assertThat(olderProgress).noneMatch(line -> line.startsWith("operator_tokens"));
      try (RunningConductor conductor = RunningConductor.start(settings(another))) {
        assertProblem(as(conductor, token), 401);
        assertThat(conductor.get("/v1/admin/operators").statusCode()).isEqualTo(200);
      }
    } finally {
      Files.deleteIfExists(backup);
      Files.deleteIfExists(older);
    }
  }

  /**
   * The backup without the new tables' entries and rows, as a conductor before V14 wrote it. Its
   * schema version stays: the other tables' files carry columns added after V14 (V13's worker
   * owner, V15's trace context), which a schema of V12 could not take; the path under test is the
   * one that skips a table a backup lacks.
   */
  private static void withoutNewTables(Path backup, Path older) throws IOException {
    ObjectMapper json = new ObjectMapper();
    try (ZipFile in = new ZipFile(backup.toFile());
        OutputStream file = Files.newOutputStream(older);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        if (NEW_TABLES.stream().map(BackupManifest::entry).anyMatch(entry.getName()::equals)) {
          continue;
        }
        out.putNextEntry(new ZipEntry(entry.getName()));
        try (InputStream content = in.getInputStream(entry)) {
          if (entry.getName().equals(BackupManifest.ENTRY)) {
            ObjectNode manifest = (ObjectNode) json.readTree(content);
            NEW_TABLES.forEach(((ObjectNode) manifest.get("rows"))::remove);
            out.write(json.writeValueAsBytes(manifest));
          } else {
            content.transferTo(out);
          }
        }
        out.closeEntry();
      }
    }
  }

  /** A fresh home holding the original's secrets key, as a restore needs. */
  private Path restorable(Path original) throws IOException {
    Path fresh = home();
    Files.createDirectories(fresh);
    Files.copy(original.resolve(SecretBox.KEY_FILE), fresh.resolve(SecretBox.KEY_FILE));
    return fresh;
  }

  private static HttpResponse<String> as(RunningConductor conductor, String token) {
    return conductor.send(
        HttpRequest.newBuilder(conductor.url().resolve("/v1/tenants"))
            .header("Authorization", "Bearer " + token)
            .timeout(Duration.ofSeconds(30))
            .GET());
  }

  private Path home() throws IOException {
    Path home = Files.createTempDirectory("conductor-restore-home");
    homes.add(home);
    return home;
  }

  private static Map<String, Object> settings(Path home) {
    Map<String, Object> settings = new HashMap<>(FastTimers.properties());
    settings.put("conductor.home", home.toString());
    return settings;
  }
}
