package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.runtime.WorkerImage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code conductor demo --runtime docker}: the same walkthrough with every worker a container of
 * the worker image on the local engine, which the demo itself finds empty of this home's containers
 * at the end.
 */
@ExtendWith(WorkerImage.class)
class DemoOnContainersIT {
  private static final Duration DEMO_TIMEOUT = Duration.ofMinutes(5);

  @Test
  void theDemoRunsOnContainerWorkersAndLeavesNoContainerBehind() {
    CliProcess.Result demo =
        CliProcess.run(
            DEMO_TIMEOUT, Map.of(), "demo", "--runtime", "docker", "--jobs-per-key", "2");

    assertThat(demo.exitCode()).as(demo.toString()).isZero();
    assertThat(demo.out())
        .as(demo.toString())
        .contains("workers are containers of " + WorkerImage.IMAGE)
        .contains("ok: 6/6 jobs SUCCEEDED, each on a worker started for its own affinity key")
        .contains("stopped by their idle teardown")
        .contains("ok: no worker container left on the engine")
        .endsWith("==> demo finished\n");
  }
}
