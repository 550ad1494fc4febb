package dev.conductor.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.ConductorServer;
import dev.conductor.secret.SecretBox;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A backup taken from a running conductor, restored into a fresh home: a conductor started there
 * finds every tenant, operation and job, and the tenant's API key still works.
 */
class BackupRestoreIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private final List<Path> homes = new ArrayList<>();

  @AfterEach
  void deleteHomes() {
    homes.forEach(RunningConductor::deleteRecursively);
  }

  @Test
  void aRestoredHomeHasEveryTenantOperationAndJob() throws Exception {
    Path original = home();
    Path backup = Files.createTempFile("conductor-backup", ".zip");
    String apiKey;
    JsonNode tenants;
    JsonNode operations;
    JsonNode jobs;
    try (RunningConductor conductor = RunningConductor.start(settings(original))) {
      apiKey = conductor.onboard("kept", "dev");
      conductor.onboard("also-kept", "dev");
      List<String> ids = new ArrayList<>();
      ids.add(conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":1}}"));
      ids.add(conductor.submitJob(apiKey, "{\"type\":\"fail\",\"payload\":{}}"));
      for (String id : ids) {
        conductor.awaitJobEnded(apiKey, id, LIMIT);
      }
      tenants = Json.parse(conductor.get("/v1/tenants").body());
      operations = Json.parse(conductor.get("/v1/operations").body()).get("items");
      jobs = Json.parse(conductor.get("/v1/tenants/kept/jobs").body()).get("items");

      HttpResponse<byte[]> answer =
          HttpClient.newHttpClient()
              .send(
                  conductor
                      .admin("/v1/admin/backup")
                      .header("Accept", "application/zip")
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/zip");
      assertThat(answer.headers().firstValue("Content-Disposition").orElse(""))
          .matches("attachment; filename=\"conductor-backup-\\d{8}T\\d{6}Z\\.zip\"");
      Files.write(backup, answer.body());
    }
    try (ZipFile zip = new ZipFile(backup.toFile())) {
      assertThat(zip.getEntry(BackupManifest.ENTRY)).isNotNull();
    }

    Path fresh = home();
    // Without the original key the sealed secrets cannot be opened: refused, nothing stored.
    assertThatThrownBy(() -> ConductorServer.restore(settings(fresh), backup, line -> {}))
        .isInstanceOf(RestoreRefusedException.class)
        .hasMessageContaining("secrets key");
    Files.delete(fresh.resolve(SecretBox.KEY_FILE));
    Files.copy(original.resolve(SecretBox.KEY_FILE), fresh.resolve(SecretBox.KEY_FILE));
    List<String> progress = new ArrayList<>();
    BackupManifest restored = ConductorServer.restore(settings(fresh), backup, progress::add);

    assertThat(restored.rows().get("tenants")).isEqualTo(2);
    assertThat(progress).contains("tenants: 2 rows", "jobs: 2 rows");
    try (RunningConductor conductor = RunningConductor.start(settings(fresh))) {
      assertThat(Json.parse(conductor.get("/v1/tenants").body())).isEqualTo(tenants);
      assertThat(Json.parse(conductor.get("/v1/operations").body()).get("items"))
          .isEqualTo(operations);
      assertThat(Json.parse(conductor.get("/v1/tenants/kept/jobs").body()).get("items"))
          .isEqualTo(jobs);
      // The tenant's key was kept as its hash: the app goes on with the key it has.
      HttpResponse<String> own = conductor.send(conductor.tenant(apiKey, "/v1/jobs").GET());
      assertThat(own.statusCode()).isEqualTo(200);
      assertThat(Json.parse(own.body()).get("items")).isEqualTo(jobs);
      // New operation events continue the restored ones' numbering.
      String deletion =
          Json.parse(conductor.delete("/v1/tenants/also-kept").body()).get("operationId").asText();
      assertThat(conductor.awaitOperationEnded(deletion, LIMIT).get("status").asText())
          .isEqualTo("SUCCEEDED");
    }

    // A home that holds state is never overwritten.
    assertThatThrownBy(() -> ConductorServer.restore(settings(fresh), backup, line -> {}))
        .isInstanceOf(RestoreRefusedException.class)
        .hasMessageContaining("already holds tenants");
  }

  @Test
  void aFileThatIsNotABackupIsRefusedAndTheHomeStaysFresh() throws IOException {
    Path fresh = home();
    Path notABackup = Files.writeString(fresh.resolveSibling(fresh.getFileName() + ".txt"), "hi");
    try {
      assertThatThrownBy(() -> ConductorServer.restore(settings(fresh), notABackup, line -> {}))
          .isInstanceOf(RestoreRefusedException.class)
          .hasMessage(notABackup + " is not a conductor backup (not a zip file)");
    } finally {
      Files.delete(notABackup);
    }
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
