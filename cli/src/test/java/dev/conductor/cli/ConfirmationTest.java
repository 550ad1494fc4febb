package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Destructive verbs ask on a terminal first. The server URL is a closed port: exit 8 (network)
 * proves the verb went on to send its request, exit 10 that it sent nothing.
 */
class ConfirmationTest {
  private static final List<String[]> DESTRUCTIVE =
      List.of(
          new String[] {"tenants", "delete", "acme"},
          new String[] {"tenants", "rotate-key", "acme"},
          new String[] {"tenants", "suspend", "acme"});

  private Map<String, String> env;

  @BeforeEach
  void closedServer() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    env =
        Map.of(
            "CONDUCTOR_URL", "http://127.0.0.1:" + port,
            "CONDUCTOR_TOKEN", "operator-token-for-the-test",
            "CONDUCTOR_HOME", "/nonexistent");
  }

  @Test
  void anythingButYesOnATerminalSendsNothing() {
    for (String[] verb : DESTRUCTIVE) {
      for (String answer : List.of("n\n", "\n", "maybe\n", "")) {
        CliRun run = atTerminal(answer, verb);

        assertThat(run.exitCode()).as(String.join(" ", verb) + " / " + answer).isEqualTo(10);
        assertThat(run.err())
            .contains("'acme'?")
            .contains("[y/N] ")
            .endsWith("error: not confirmed; nothing changed (--yes skips the question)\n");
        assertThat(run.out()).isEmpty();
      }
    }
  }

  @Test
  void yesOnATerminalGoesAhead() {
    for (String[] verb : DESTRUCTIVE) {
      for (String answer : List.of("y\n", "YES\n")) {
        assertThat(atTerminal(answer, verb).exitCode()).isEqualTo(ExitCodes.NETWORK);
      }
    }
  }

  @Test
  void dashDashYesAndScriptsAreNotAsked() {
    for (String[] verb : DESTRUCTIVE) {
      String[] withYes = append(verb, "--yes");
      CliRun yes = atTerminal("n\n", withYes);
      CliRun script = CliRun.execute(env, verb);

      assertThat(yes.exitCode()).isEqualTo(ExitCodes.NETWORK);
      assertThat(yes.err()).doesNotContain("[y/N]");
      assertThat(script.exitCode()).isEqualTo(ExitCodes.NETWORK);
      assertThat(script.err()).doesNotContain("[y/N]");
    }
  }

  private CliRun atTerminal(String typed, String... args) {
    return CliRun.execute(
        ConductorCli.commandLine(new ConductorCli(env, true, new StringReader(typed)), args), args);
  }

  private static String[] append(String[] args, String last) {
    String[] longer = java.util.Arrays.copyOf(args, args.length + 1);
    longer[args.length] = last;
    return longer;
  }
}
