package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class UsageTest {

  private static final Map<String, String> ENV = Map.of("CONDUCTOR_HOME", "/nonexistent");

  @Test
  void unknownOptionIsAOneLineUsageError() {
    CliRun run = CliRun.execute(ENV, "tenants", "list", "--bogus");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .isEqualTo("error: Unknown option: '--bogus' (see 'conductor tenants list --help')\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aMistypedVerbGroupOrOptionSuggestsTheCloseName() {
    CliRun verb = CliRun.execute(ENV, "tenants", "lst");
    CliRun group = CliRun.execute(ENV, "tenant", "list");
    CliRun option = CliRun.execute(ENV, "tenants", "list", "--outptu", "json");

    assertThat(verb.exitCode()).isEqualTo(2);
    assertThat(verb.err().lines()).singleElement().asString().contains("did you mean 'list'?");
    assertThat(group.err().lines()).singleElement().asString().contains("did you mean 'tenants'");
    assertThat(option.err().lines()).singleElement().asString().contains("'--output'");
  }

  @Test
  void missingNameIsAUsageError() {
    CliRun run = CliRun.execute(ENV, "tenants", "create");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("'NAME'");
  }

  @Test
  void unknownOutputFormatIsAUsageError() {
    CliRun run = CliRun.execute(ENV, "tenants", "list", "--output", "xml");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("--output");
  }

  @Test
  void outputFormatIsCaseInsensitive() {
    CommandLine.ParseResult parsed =
        ConductorCli.commandLine(ENV).parseArgs("tenants", "list", "--output", "Json");

    OutputFormat output =
        parsed.subcommand().subcommand().matchedOptionValue("--output", OutputFormat.TABLE);
    assertThat(output).isEqualTo(OutputFormat.JSON);
  }

  @Test
  void dashOIsShortForOutputAndTakesYamlAndName() {
    for (String format : List.of("yaml", "name", "json", "table")) {
      CommandLine.ParseResult parsed =
          ConductorCli.commandLine(ENV).parseArgs("workers", "list", "-o", format);

      assertThat(parsed.subcommand().subcommand().matchedOptionValue("--output", (Object) null))
          .isEqualTo(OutputFormat.valueOf(format.toUpperCase()));
    }
  }

  @Test
  void invalidServerUrlIsAUsageError() {
    CliRun run = CliRun.execute(ENV, "tenants", "list", "--server", "localhost:8080");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: invalid server URL 'localhost:8080'");
  }

  @Test
  void aGroupWithoutVerbPrintsItsUsage() {
    CliRun run = CliRun.execute(ENV, "tenants");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("Usage: conductor tenants").contains("rotate-key");
  }

  @Test
  void submitNeedsAType() {
    CliRun run = CliRun.execute(ENV, "jobs", "submit", "--api-key", "ck_1");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString().contains("'--type=TYPE'");
  }

  @Test
  void theJobVerbsTakeAnApiKeyAndNoOperatorToken() {
    CliRun run = CliRun.execute(ENV, "jobs", "submit", "--help");

    assertThat(run.out()).contains("--api-key=KEY").contains("CONDUCTOR_API_KEY");
    assertThat(run.out()).doesNotContain("--token");
  }

  @Test
  void demoRefusesARuntimeItDoesNotKnow() {
    CliRun run = CliRun.execute(ENV, "demo", "--runtime", "podman");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: --runtime must be process or docker, got 'podman'");
  }

  @Test
  void demoRefusesAnEmptyBurst() {
    CliRun run = CliRun.execute(ENV, "demo", "--jobs-per-key", "0");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).startsWith("error: --jobs-per-key must be at least 1");
  }

  @Test
  void helpListsTheVerbs() {
    CliRun run = CliRun.execute(ENV, "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("server")
        .contains("demo")
        .contains("tenants")
        .contains("operations")
        .contains("jobs")
        .contains("workers");
  }
}
