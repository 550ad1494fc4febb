package dev.conductor.cli.tenants;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `tenants suspend` and `resume` against a real conductor. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SuspendResumeIT {
  @TempDir Path home;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(Map.of());
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void suspendAndResumeMoveTheTenantAndUnknownTenantsAreNotFound() {
    conductor.onboard("sleepy", "dev");
    assertThat(run("tenants", "suspend", "sleepy")).isEqualTo("Tenant 'sleepy' is SUSPENDED.\n");
    assertThat(run("tenants", "resume", "sleepy")).isEqualTo("Tenant 'sleepy' is READY.\n");
    assertThat(exit("tenants", "suspend", "nobody")).isEqualTo(3);
  }

  private String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = command();
    cli.setOut(new PrintWriter(out, true));
    assertThat(cli.execute(args)).isZero();
    return out.toString();
  }

  private int exit(String... args) {
    CommandLine cli = command();
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  private CommandLine command() {
    return dev.conductor.cli.ConductorCli.commandLine(
        Map.of(
            "CONDUCTOR_URL", conductor.url().toString(),
            "CONDUCTOR_TOKEN", conductor.adminToken(),
            "CONDUCTOR_HOME", home.toString()));
  }
}
