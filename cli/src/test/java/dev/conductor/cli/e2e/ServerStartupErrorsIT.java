package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * A second {@code conductor server} on a machine where one already runs, as a new user would start
 * it: refused at once with one line naming the setting to change and the usage exit code (2), no
 * stack trace and no "please report it".
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ServerStartupErrorsIT {
  private Path homes;
  private ConductorProcess first;

  @BeforeAll
  void startFirst() throws IOException {
    homes = Files.createTempDirectory("conductor-startup-errors");
    first = ConductorProcess.start("startup-errors-first", homes.resolve("first"), Map.of());
  }

  @AfterAll
  void stop() {
    if (first != null) {
      first.close();
    }
    E2e.deleteRecursively(homes);
  }

  @Test
  void theBrokerPortInUse() throws Exception {
    Refusal refusal =
        second(
            "broker",
            Map.of(
                "MICRONAUT_SERVER_PORT", Integer.toString(E2e.freePort()),
                "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT", Integer.toString(first.busPort())));
    refusal.assertOneLine(
        "error: embedded broker port "
            + first.busPort()
            + " is in use by another program: stop it or set"
            + " conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)");
  }

  @Test
  void theHttpPortInUse() throws Exception {
    Refusal refusal =
        second(
            "http",
            Map.of(
                "MICRONAUT_SERVER_PORT", Integer.toString(first.port()),
                "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT", Integer.toString(E2e.freePort())));
    refusal.assertOneLine(
        "error: HTTP port "
            + first.port()
            + " is in use by another program: stop it or set"
            + " micronaut.server.port (MICRONAUT_SERVER_PORT)");
  }

  @Test
  void theHomeInUse() throws Exception {
    Refusal refusal =
        second(
            "home",
            Map.of(
                "CONDUCTOR_HOME", first.home().toString(),
                "MICRONAUT_SERVER_PORT", Integer.toString(E2e.freePort()),
                "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT", Integer.toString(E2e.freePort())));
    refusal.assertOneLine(
        "error: another conductor is running with home "
            + first.home()
            + ": stop it or set CONDUCTOR_HOME to use another home");
  }

  @Test
  void aPortThatIsNotANumber() throws Exception {
    Refusal refusal =
        second(
            "bad-port",
            Map.of(
                "MICRONAUT_SERVER_PORT",
                Integer.toString(E2e.freePort()),
                "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT",
                "61616x"));
    refusal.assertOneLine(
        "error: '61616x' is not a valid port (0 to 65535): set"
            + " conductor.bus.artemis.embedded-port (CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT)");
  }

  private record Refusal(int exitCode, List<String> stderr) {
    void assertOneLine(String line) {
      assertThat(exitCode).as("exit code; stderr: %s", stderr).isEqualTo(2);
      assertThat(stderr).containsExactly(line);
    }
  }

  /** Runs {@code conductor server} to its end with the first server's machine as it is. */
  private Refusal second(String name, Map<String, String> overrides) throws Exception {
    Map<String, String> variables = new HashMap<>();
    variables.put("CONDUCTOR_HOME", homes.resolve(name).toString());
    variables.putAll(overrides);
    Path out = E2e.outputDirectory().resolve("startup-errors-" + name + ".out");
    Path err = E2e.outputDirectory().resolve("startup-errors-" + name + ".err");
    ProcessBuilder builder =
        new ProcessBuilder(E2e.java(), "-jar", E2e.jar().toString(), "server")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    Map<String, String> clean = E2e.environment(builder.environment(), variables);
    builder.environment().clear();
    builder.environment().putAll(clean);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("conductor server " + name + " did not exit; it should refuse");
    }
    return new Refusal(process.exitValue(), Files.readAllLines(err, StandardCharsets.UTF_8));
  }
}
