package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** `conductor login` and `context` against a real conductor, from a home with no other settings. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LoginCommandIT {
  private RunningConductor conductor;
  @TempDir Path home;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
    conductor.onboard("ctx-tenant", "dev");
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void bareHome() throws IOException {
    Files.deleteIfExists(home.resolve(Contexts.FILE));
    env = new HashMap<>(Map.of("CONDUCTOR_HOME", home.toString()));
  }

  @Test
  void loginSavesACurrentContextThatLaterCommandsUse() throws IOException {
    String url = conductor.url().toString();

    CliRun login =
        CliRun.execute(env, "login", url, "--name", "local", "--token", conductor.adminToken());

    assertThat(login.exitCode()).as(login.toString()).isZero();
    assertThat(login.out()).isEqualTo("Logged in to " + url + "; context 'local' is current.\n");
    CliRun tenants = CliRun.execute(env, "tenants", "list", "-o", "name");
    assertThat(tenants.exitCode()).as(tenants.toString()).isZero();
    assertThat(tenants.out()).contains("ctx-tenant\n");
    CliRun list = CliRun.execute(env, "context", "list");
    assertThat(list.out())
        .containsPattern("\\* +local +" + url)
        .doesNotContain(conductor.adminToken());
  }

  @Test
  void aRefusedTokenSavesNothing() {
    CliRun login =
        CliRun.execute(env, "login", conductor.url().toString(), "--token", "wrong-token-value-x");

    assertThat(login.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(login.err().lines()).singleElement().asString().startsWith("error: ");
    assertThat(home.resolve(Contexts.FILE)).doesNotExist();
  }

  @Test
  void onATerminalTheTokenIsAskedForAndTheNameIsTheHostAndPort() {
    String url = conductor.url().toString();
    CliRun login =
        CliRun.execute(
            ConductorCli.commandLine(
                new ConductorCli(env, true, new StringReader(conductor.adminToken() + "\n")),
                "login",
                url),
            "login",
            url);

    assertThat(login.exitCode()).as(login.toString()).isZero();
    assertThat(login.err()).isEqualTo("Operator token for " + url + ": ");
    String name = conductor.url().getHost() + "-" + conductor.url().getPort();
    assertThat(login.out()).endsWith("context '" + name + "' is current.\n");
    assertThat(Contexts.load(home).currentName()).contains(name);
  }

  @Test
  void useAndDeleteSwitchAndForgetContexts() {
    String url = conductor.url().toString();
    CliRun.execute(env, "login", url, "--name", "one", "--token", conductor.adminToken());
    CliRun.execute(env, "login", url, "--name", "two", "--token", conductor.adminToken());

    assertThat(CliRun.execute(env, "context", "use", "one").out())
        .isEqualTo("Context 'one' is current.\n");
    assertThat(Contexts.load(home).currentName()).contains("one");
    assertThat(CliRun.execute(env, "context", "delete", "one").exitCode()).isZero();
    assertThat(Contexts.load(home).all()).containsOnlyKeys("two");
    CliRun unknown = CliRun.execute(env, "context", "use", "one");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(unknown.err()).isEqualTo("error: no context 'one'; there are: two\n");
    CliRun named = CliRun.execute(env, "tenants", "list", "--context", "two", "-o", "name");
    assertThat(named.out()).contains("ctx-tenant\n");
  }
}
