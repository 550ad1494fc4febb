package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ConnectionSettingsTest {

  @TempDir Path home;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void emptyHome() {
    env.put("CONDUCTOR_HOME", home.toString());
  }

  @Test
  void tokenComesFromTheFlagFirst() throws IOException {
    env.put("CONDUCTOR_TOKEN", "from-env");
    writeTokenFile("from-file");

    assertThat(ConnectionSettings.resolve(null, "from-flag", env).token()).contains("from-flag");
  }

  @Test
  void tokenFallsBackToTheEnvironment() throws IOException {
    env.put("CONDUCTOR_TOKEN", " from-env\n");
    writeTokenFile("from-file");

    assertThat(ConnectionSettings.resolve(null, null, env).token()).contains("from-env");
  }

  @Test
  void tokenFallsBackToTheLocalServersTokenFileTrimmed() throws IOException {
    writeTokenFile("  from-file\n");

    assertThat(ConnectionSettings.resolve(null, null, env).token()).contains("from-file");
  }

  @Test
  void blankValuesCountAsAbsent() throws IOException {
    env.put("CONDUCTOR_TOKEN", "  ");
    writeTokenFile("\n");

    assertThat(ConnectionSettings.resolve(null, "", env).token()).isEmpty();
  }

  @Test
  void noTokenAnywhereMeansNone() {
    assertThat(ConnectionSettings.resolve(null, null, env).token()).isEmpty();
  }

  @Test
  void apiKeyComesFromTheFlagThenTheEnvironmentAndNeverFromTheOperatorToken() throws IOException {
    env.put("CONDUCTOR_TOKEN", "operator");
    writeTokenFile("operator-file");

    assertThat(ConnectionSettings.forTenant(null, null, env).token()).isEmpty();

    env.put("CONDUCTOR_API_KEY", " ck_env\n");
    assertThat(ConnectionSettings.forTenant(null, null, env).token()).contains("ck_env");
    assertThat(ConnectionSettings.forTenant(null, "ck_flag", env).token()).contains("ck_flag");
    assertThat(ConnectionSettings.forTenant(null, " ", env).token()).contains("ck_env");
  }

  @Test
  void theTenantMixinResolvesTheApiKeyAgainstTheInjectedEnvironment() {
    env.put("CONDUCTOR_API_KEY", "ck_env");

    CommandLine.ParseResult parsed =
        ConductorCli.commandLine(env).parseArgs("jobs", "list", "--api-key", "ck_flag");
    TenantConnectionOptions options =
        (TenantConnectionOptions)
            parsed.subcommand().subcommand().commandSpec().mixins().get("connection").userObject();

    assertThat(options.settings())
        .isEqualTo(
            new ConnectionSettings(
                URI.create("http://localhost:8080"), java.util.Optional.of("ck_flag")));
  }

  @Test
  void serverComesFromTheFlagThenTheEnvironment() {
    env.put("CONDUCTOR_URL", "http://env.example:9000/");
    env.put("MICRONAUT_SERVER_PORT", "9999");

    assertThat(ConnectionSettings.resolve("https://flag.example", null, env).server())
        .isEqualTo(URI.create("https://flag.example"));
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://env.example:9000"));
  }

  @Test
  void serverDefaultsToLocalhostOnTheServersPort() {
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://localhost:8080"));

    env.put("MICRONAUT_SERVER_PORT", "9091");
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://localhost:9091"));
  }

  @Test
  @Timeout(30)
  void serverFallsBackToTheUrlALiveLocalServerRecordedInItsHome() throws Exception {
    ProcessHandle self = ProcessHandle.current();
    writeServerRecord(
        "http://127.0.0.1:43117", self.pid(), self.info().startInstant().orElseThrow().toString());
    env.put("MICRONAUT_SERVER_PORT", "9091");

    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://127.0.0.1:43117"));
    assertThat(ConnectionSettings.forTenant(null, null, env).server())
        .isEqualTo(URI.create("http://127.0.0.1:43117"));
    env.put("CONDUCTOR_URL", "http://env.example:9000");
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://env.example:9000"));
  }

  @Test
  @Timeout(30)
  void aRecordLeftByAServerThatIsGoneIsIgnored() throws Exception {
    Process ended = new ProcessBuilder("true").start();
    ended.waitFor();
    writeServerRecord("http://127.0.0.1:43117", ended.pid(), null);
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://localhost:8080"));

    // The pid is alive but belongs to a process started after the recorded one: reused.
    writeServerRecord(
        "http://127.0.0.1:43117", ProcessHandle.current().pid(), "2001-01-01T00:00:00Z");
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://localhost:8080"));

    Files.writeString(home.resolve("server.json"), "{\"url\":");
    assertThat(ConnectionSettings.resolve(null, null, env).server())
        .isEqualTo(URI.create("http://localhost:8080"));
  }

  @Test
  void rejectsAServerThatIsNotAnHttpUrl() {
    assertThatThrownBy(() -> ConnectionSettings.resolve("localhost:8080", null, env))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("invalid server URL 'localhost:8080'");
  }

  @Test
  void homeDefaultsToDotConductorInTheUsersHome() {
    assertThat(ConnectionSettings.home(Map.of()))
        .isEqualTo(Path.of(System.getProperty("user.home"), ".conductor"));
  }

  @Test
  void theMixinResolvesFlagsAgainstTheInjectedEnvironment() throws IOException {
    env.put("CONDUCTOR_URL", "http://env.example:9000");
    writeTokenFile("from-file");

    CommandLine.ParseResult parsed =
        ConductorCli.commandLine(env).parseArgs("tenants", "list", "--server", "http://flag:1");
    ConnectionOptions options =
        (ConnectionOptions)
            parsed.subcommand().subcommand().commandSpec().mixins().get("connection").userObject();

    assertThat(options.settings())
        .isEqualTo(
            new ConnectionSettings(
                URI.create("http://flag:1"), java.util.Optional.of("from-file")));
    assertThat(options.structured()).isFalse();
  }

  private void writeTokenFile(String content) throws IOException {
    Files.writeString(home.resolve("admin-token"), content);
  }

  private void writeServerRecord(String url, long pid, String processStartedAt) throws IOException {
    var record = Json.MAPPER.createObjectNode().put("url", url).put("pid", pid);
    if (processStartedAt != null) {
      record.put("processStartedAt", processStartedAt);
    }
    Files.writeString(home.resolve("server.json"), Json.pretty(record));
  }
}
