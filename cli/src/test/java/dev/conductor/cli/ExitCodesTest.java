package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.BadResponseException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.client.ServerUnreachableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExitCodesTest {

  private final ExitCodes exitCodes = new ExitCodes();

  @ParameterizedTest
  @CsvSource({
    "400, 5", "401, 6", "403, 6", "404, 3", "405, 5", "409, 4", "413, 5", "415, 5", "422, 5",
    "429, 9", "500, 7", "502, 7", "503, 7"
  })
  void mapsHttpStatusClasses(int status, int exitCode) {
    assertThat(exitCodes.getExitCode(new ApiException(status, "x"))).isEqualTo(exitCode);
  }

  @Test
  void mapsFailuresThatAreNotHttpStatuses() {
    assertThat(exitCodes.getExitCode(new OperationFailedException("x"))).isEqualTo(1);
    assertThat(exitCodes.getExitCode(new JobFailedException("x"))).isEqualTo(1);
    assertThat(exitCodes.getExitCode(new InvalidInputException("x"))).isEqualTo(5);
    assertThat(exitCodes.getExitCode(new BadResponseException("x", null))).isEqualTo(7);
    assertThat(
            exitCodes.getExitCode(
                new ServerUnreachableException(java.net.URI.create("http://h:1"), "x", null)))
        .isEqualTo(8);
    // conductor server without a server jar to run is a usage error, shown as one line (a server
    // refusing to start as configured exits 2 by itself: ServerStartupErrorsIT).
    assertThat(exitCodes.getExitCode(new ServerNotFoundException("no jar"))).isEqualTo(2);
    assertThat(ExitCodes.isExpected(new ServerNotFoundException("no jar"))).isTrue();
    assertThat(exitCodes.getExitCode(new IllegalStateException("bug"))).isEqualTo(70);
  }

  @Test
  void problemDetailBecomesTheMessage() {
    String body =
        "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,"
            + "\"detail\":\"tenant 'acme' not found\"}";

    assertThat(ConductorClient.problem(404, body, null).getMessage())
        .isEqualTo("tenant 'acme' not found");
    assertThat(
            ConductorClient.problem(409, "{\"title\":\"Conflict\",\"status\":409}", null)
                .getMessage())
        .isEqualTo("Conflict");
    assertThat(ConductorClient.problem(502, "<html>Bad Gateway</html>", null).getMessage())
        .isEqualTo("the server answered HTTP 502");
  }

  @Test
  void retryAfterIsReadAsSecondsOrAnHttpDate() {
    java.time.Instant now = java.time.Instant.parse("2025-11-21T10:00:00Z");

    assertThat(ConductorClient.retryAfter("5", now)).isEqualTo(java.time.Duration.ofSeconds(5));
    assertThat(ConductorClient.retryAfter("Fri, 21 Nov 2025 10:00:30 GMT", now))
        .isEqualTo(java.time.Duration.ofSeconds(30));
    assertThat(ConductorClient.retryAfter("Fri, 21 Nov 2025 09:00:00 GMT", now))
        .isEqualTo(java.time.Duration.ZERO);
    assertThat(ConductorClient.retryAfter("soon", now)).isNull();
    assertThat(ConductorClient.retryAfter(null, now)).isNull();
    assertThat(ConductorClient.problem(429, "{\"detail\":\"slow down\"}", "2").retryAfter())
        .contains(java.time.Duration.ofSeconds(2));
  }

  @Test
  void connectionRefusedIsANetworkErrorNamingTheUrl(@TempDir java.nio.file.Path home)
      throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = "http://127.0.0.1:" + closedPort;

    CliRun run =
        CliRun.execute(
            Map.of("CONDUCTOR_HOME", home.toString()), "tenants", "show", "acme", "--server", url);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NETWORK);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: cannot reach the conductor at " + url + " (connection refused)")
        .contains("conductor server")
        .contains("--server");
    assertThat(run.out()).isEmpty();
  }
}
