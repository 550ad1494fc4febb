package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's first command, {@code java -jar conductor.jar demo}, as a user runs it: the server
 * starts workers from the same jar, every job succeeds on a worker of its key, the idle workers
 * tear down, and nothing is left behind (invariant 4).
 */
class DemoIT {

  private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);
  private static final Pattern HOME = Pattern.compile("in (\\S+), with demo timers");

  @Test
  void theDemoRunsJobsOnWorkersOfTheirKeyAndLeavesNothingBehind() {
    CliProcess.Result demo = CliProcess.run(DEMO_TIMEOUT, Map.of(), "demo");

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.out())
        .as(demo.toString())
        .contains("$ conductor tenants create demo --plan dev --wait --output json")
        .contains(
            "$ conductor jobs submit --type sleep --payload '{\"ms\":800}' --affinity proxy-eu")
        .contains("ok: 14/14 jobs SUCCEEDED, each on a worker started for its own affinity key")
        .containsPattern("STOPPED +0/2 .* idle\\n")
        .contains("stopped by their idle teardown")
        .contains("ok: no worker process left running")
        .contains("Resources: none (deleted)")
        .endsWith("==> demo finished\n");
    Matcher home = HOME.matcher(demo.out());
    assertThat(home.find()).as(demo.toString()).isTrue();
    assertThat(Files.exists(Path.of(home.group(1)))).as("the temporary home is deleted").isFalse();
    assertThat(
            ProcessHandle.allProcesses()
                .filter(process -> process.info().commandLine().orElse("").contains(home.group(1))))
        .as("no process of the demo's home is left")
        .isEmpty();
  }
}
