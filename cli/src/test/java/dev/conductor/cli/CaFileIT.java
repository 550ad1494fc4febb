package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.ConductorServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The CLI against a conductor serving HTTPS with a self-signed certificate. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CaFileIT {
  @TempDir static Path temp;
  private ConductorServer conductor;
  private Path serverHome;

  @BeforeAll
  void start() {
    serverHome = temp.resolve("server-home");
    conductor =
        ConductorServer.start(
            Map.of(
                "conductor.home",
                serverHome.toString(),
                "micronaut.server.port",
                -1,
                "conductor.bus.artemis.embedded-port",
                0,
                "conductor.tls.self-signed",
                "true"));
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  /** A shell elsewhere: another home, so only what is passed is trusted. */
  private Map<String, String> elsewhere() throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_HOME", Files.createDirectories(temp.resolve("cli-home")).toString());
    environment.put("CONDUCTOR_URL", conductor.url().toString());
    environment.put("CONDUCTOR_TOKEN", conductor.adminToken());
    return environment;
  }

  @Test
  void anUntrustedCertificateIsRefusedInOneLineNamingCaFile() throws Exception {
    CliRun run = CliRun.execute(elsewhere(), "tenants", "list");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NETWORK);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: ")
        .contains("not trusted")
        .contains("--ca-file");
  }

  @Test
  void theCaFileFromTheFlagOrTheEnvironmentIsTrusted() throws Exception {
    String ca = serverHome.resolve("tls/self-signed.pem").toString();

    CliRun flag = CliRun.execute(elsewhere(), "tenants", "list", "--ca-file", ca);
    assertThat(flag.exitCode()).as(flag.toString()).isZero();

    Map<String, String> environment = elsewhere();
    environment.put("CONDUCTOR_CA_FILE", ca);
    CliRun variable = CliRun.execute(environment, "tenants", "list");
    assertThat(variable.exitCode()).as(variable.toString()).isZero();
  }

  @Test
  void theLocalServersGeneratedCertificateIsFoundInItsHome() {
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_HOME", serverHome.toString());

    CliRun run = CliRun.execute(environment, "tenants", "list");

    assertThat(run.exitCode()).as(run.toString()).isZero();
  }

  @Test
  void aLoginSavesTheCaFileWithItsContext() throws Exception {
    Map<String, String> environment = new HashMap<>();
    environment.put(
        "CONDUCTOR_HOME", Files.createDirectories(temp.resolve("login-home")).toString());
    String ca = serverHome.resolve("tls/self-signed.pem").toString();

    CliRun login =
        CliRun.execute(
            environment,
            "login",
            conductor.url().toString(),
            "--token",
            conductor.adminToken(),
            "--ca-file",
            ca);
    assertThat(login.exitCode()).as(login.toString()).isZero();

    CliRun later = CliRun.execute(environment, "tenants", "list");
    assertThat(later.exitCode()).as(later.toString()).isZero();
  }

  @Test
  void aMissingCaFileIsAUsageError() throws Exception {
    CliRun run =
        CliRun.execute(
            elsewhere(), "tenants", "list", "--ca-file", temp.resolve("nope.pem").toString());

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("nope.pem");
  }
}
