package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The tree main builds for a command line holds that command, exactly as the full tree has it. */
class CommandTreeTest {

  private static final Map<String, String> ENV = Map.of("CONDUCTOR_HOME", "/nonexistent");

  @Test
  void aCommandLineBuildsOnlyItsGroupAndVerbAsTheFullTreeHasThem() {
    CommandLine full = ConductorCli.commandLine(ENV);
    assertThat(full.getSubcommands().keySet())
        .containsExactly(
            "server",
            "demo",
            "tenants",
            "operations",
            "jobs",
            "workers",
            "admin",
            "operators",
            "audit",
            "login",
            "context",
            "version",
            "completion");

    int verbs = 0;
    for (var group : full.getSubcommands().entrySet()) {
      for (var verb : group.getValue().getSubcommands().entrySet()) {
        CommandLine lazy =
            ConductorCli.commandLine(ENV, false, group.getKey(), verb.getKey(), "--help");

        assertThat(lazy.getSubcommands().keySet()).containsExactly(group.getKey());
        CommandLine built = lazy.getSubcommands().get(group.getKey());
        assertThat(built.getSubcommands().keySet()).containsExactly(verb.getKey());
        assertThat(options(built.getSubcommands().get(verb.getKey())))
            .isEqualTo(options(verb.getValue()));
        verbs++;
      }
    }
    assertThat(verbs).isEqualTo(31);
  }

  @Test
  void aGroupWithoutAVerbShowsEveryVerbOfIt() {
    CliRun run = CliRun.execute(ENV, "workers");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: conductor workers").contains("list").contains("drain");
  }

  @Test
  void mistakesGetTheAnswersOfTheFullTree() {
    for (String[] args :
        List.of(
            new String[] {"tenant", "list"},
            new String[] {"tenants", "lst"},
            new String[] {"--bogus"},
            new String[] {})) {
      CliRun lazy = CliRun.execute(ENV, args);
      CliRun full = CliRun.execute(ConductorCli.commandLine(ENV), args);

      assertThat(lazy).as(String.join(" ", args)).isEqualTo(full);
      assertThat(lazy.exitCode()).isEqualTo(2);
    }
  }

  private static List<String> options(CommandLine command) {
    return command.getCommandSpec().options().stream()
        .map(option -> String.join("|", option.names()))
        .collect(Collectors.toList());
  }
}
