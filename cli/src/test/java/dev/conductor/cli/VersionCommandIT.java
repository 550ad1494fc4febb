package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.api.ProductVersion;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** `conductor version` against a real conductor's {@code GET /info}, and with none answering. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VersionCommandIT {
  @TempDir Path home;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @Test
  void showsTheClientsAndTheServersVersion() {
    String version = ProductVersion.current();
    assertThat(version).matches("\\d+\\.\\d+\\.\\d+.*");

    CliRun run = CliRun.execute(LiveConductor.environment(conductor, home), "version");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .startsWith("Client: conductor " + version + " (Java ")
        .endsWith("Server: conductor " + version + " at " + conductor.url() + "\n");
  }

  @Test
  void jsonCarriesBothAndInfoNeedsNoCredential() {
    Map<String, String> anonymous = LiveConductor.environment(conductor, home);
    anonymous.remove("CONDUCTOR_TOKEN");

    CliRun run = CliRun.execute(anonymous, "version", "-o", "json");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode both = Json.parse(run.out());
    assertThat(both.at("/client/version").asText()).isEqualTo(ProductVersion.current());
    assertThat(both.at("/server/version").asText()).isEqualTo(ProductVersion.current());
    assertThat(both.at("/server/api").asText()).isEqualTo("v1");
  }

  @Test
  void withNoServerTheClientLineStillShowsAndTheErrorIsOneLine() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = LiveConductor.environment(conductor, home);
    env.put("CONDUCTOR_URL", "http://127.0.0.1:" + closedPort);

    CliRun run = CliRun.execute(env, "version");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NETWORK);
    assertThat(run.out()).startsWith("Client: conductor " + ProductVersion.current());
    assertThat(run.err().lines()).singleElement().asString().startsWith("error: ");
  }
}
