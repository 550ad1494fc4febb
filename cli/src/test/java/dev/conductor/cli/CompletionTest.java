package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The completion script, sourced into a real bash, completes groups, verbs and options. */
class CompletionTest {
  private static final Map<String, String> ENV = Map.of("CONDUCTOR_HOME", "/nonexistent");
  private static final Path BASH = Path.of("/bin/bash");

  @TempDir Path dir;

  @Test
  void bashCompletesGroupsVerbsAndOptions() throws Exception {
    assumeTrue(Files.isExecutable(BASH), "no /bin/bash here to source the script into");
    CliRun script = CliRun.execute(ENV, "completion", "bash");
    assertThat(script.exitCode()).as(script.err()).isZero();
    Path file = dir.resolve("conductor-completion.bash");
    Files.writeString(file, script.out());

    assertThat(complete(file, "conductor", "ten")).isEqualTo("tenants");
    assertThat(complete(file, "conductor", "operations", "l")).isEqualTo("list");
    assertThat(complete(file, "conductor", "operations", "list", "--ten")).isEqualTo("--tenant");
    assertThat(complete(file, "conductor", "jobs", "list", "--status", "SUCC"))
        .isEqualTo("SUCCEEDED");
  }

  @Test
  void zshGetsTheBashScriptThroughBashcompinit() {
    CliRun script = CliRun.execute(ENV, "completion", "zsh");

    assertThat(script.exitCode()).isZero();
    assertThat(script.out()).startsWith("autoload -U +X compinit && compinit\n");
    assertThat(script.out()).contains("bashcompinit").contains("complete -F");
  }

  @Test
  void anotherShellIsAUsageError() {
    CliRun fish = CliRun.execute(ENV, "completion", "fish");

    assertThat(fish.exitCode()).isEqualTo(2);
    assertThat(fish.err().lines()).singleElement().asString().contains("fish");
  }

  /** What bash offers for the last word, as it would on TAB. */
  private String complete(Path script, String... words) throws IOException, InterruptedException {
    String line =
        "source "
            + script
            // compopt works only inside a completion bash runs on TAB: a no-op stands in for it.
            + "; compopt() { :; }; COMP_WORDS=("
            + String.join(" ", words)
            + "); COMP_CWORD="
            + (words.length - 1)
            + "; COMP_LINE='"
            + String.join(" ", words)
            + "'; COMP_POINT=${#COMP_LINE}; _complete_conductor; echo \"${COMPREPLY[*]}\"";
    Process bash =
        new ProcessBuilder(BASH.toString(), "-c", line).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return out;
  }
}
