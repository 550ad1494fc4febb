package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code conductor admin backup} against a running {@code conductor server}, then {@code conductor
 * admin restore} into a new home, where a new server finds the tenant; and the refusals a user
 * meets on the way, each one line with exit code 2.
 */
class AdminBackupRestoreIT {
  private static final String TOKEN = "e2e-" + UUID.randomUUID();
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);

  private Path original;
  private Path restored;
  private Path files;
  private final List<ConductorProcess> servers = new ArrayList<>();

  @RegisterExtension final ServerLogOnFailure serverLogs = new ServerLogOnFailure(() -> servers);

  @BeforeEach
  void createHomes() throws IOException {
    original = Files.createTempDirectory("conductor-e2e-backup-");
    restored = Files.createTempDirectory("conductor-e2e-restored-");
    files = Files.createTempDirectory("conductor-e2e-backups-");
  }

  @AfterEach
  void cleanUp() {
    try {
      servers.forEach(ConductorProcess::close);
      for (Path home : List.of(original, restored)) {
        WorkerProcesses.killLeftover(home);
        Postmaster.stopLeftover(home);
      }
    } finally {
      List.of(original, restored, files).forEach(E2e::deleteRecursively);
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void aBackupRestoredIntoANewHomeStartsWithEveryTenant() throws IOException {
    ConductorProcess first = start("AdminBackupRestoreIT-first", original);
    ConductorApi admin = new ConductorApi(first.url(), TOKEN);
    admin.post("/v1/tenants", ConductorApi.object("name", "kept", "plan", "dev"), 202);
    Poll.until(
        "tenant kept READY",
        READY_WITHIN,
        () -> admin.get("/v1/tenants/kept").path("status").asText(),
        "READY"::equals);
    Path backup = files.resolve("state.zip");

    CliProcess.Result saved = conductor(first, "admin", "backup", backup.toString());

    assertThat(saved.exitCode()).as(saved.toString()).isZero();
    assertThat(saved.out())
        .as(saved.toString())
        .startsWith("wrote " + backup + " (")
        .contains(": 1 tenants, 1 operations, 0 jobs, 0 workers");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(backup)))
        .isEqualTo("rw-------");
    CliProcess.Result again = conductor(first, "admin", "backup", backup.toString());
    assertThat(again.exitCode()).as(again.toString()).isEqualTo(5);
    assertThat(again.errLines()).as(again.toString()).hasSize(1);
    assertThat(again.err()).contains(backup + " exists");
    first.close();

    CliProcess.Result refused = restore(backup);
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(2);
    assertThat(refused.err()).as(refused.toString()).contains("error: the secrets key in effect");
    Files.copy(
        original.resolve("secret.key"),
        restored.resolve("secret.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);

    CliProcess.Result done = restore(backup);

    assertThat(done.exitCode()).as(done.toString()).isZero();
    assertThat(done.out()).as(done.toString()).contains("restored tenants: 1 rows");
    ConductorProcess second = start("AdminBackupRestoreIT-second", restored);
    JsonNode tenant = new ConductorApi(second.url(), TOKEN).get("/v1/tenants/kept");
    assertThat(tenant.path("status").asText()).isEqualTo("READY");
  }

  private ConductorProcess start(String name, Path home) {
    ConductorProcess server =
        ConductorProcess.start(name, home, Map.of("CONDUCTOR_ADMIN_TOKEN", TOKEN));
    servers.add(server);
    return server;
  }

  private static CliProcess.Result conductor(ConductorProcess server, String... args) {
    return CliProcess.run(
        Map.of("CONDUCTOR_URL", server.url().toString(), "CONDUCTOR_TOKEN", TOKEN), args);
  }

  private CliProcess.Result restore(Path backup) {
    return CliProcess.run(
        Map.of(), "admin", "restore", backup.toString(), "--home", restored.toString());
  }
}
