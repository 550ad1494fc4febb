package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.conductor.runtime.DockerEngine;
import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.WorkerImage;
import java.time.Duration;
import java.util.List;
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
  void theDemoRunsOnContainerWorkersAndLeavesNoContainerBehind() throws Exception {
    List<String> volumesBefore = demoVolumes();
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
    // The workers' class-data volume goes with the demo's home.
    assertThat(demoVolumes()).isEqualTo(volumesBefore);
  }

  /** The docker runtime's volumes of demo homes on the engine. */
  private static List<String> demoVolumes() throws Exception {
    try (DockerClient docker = DockerEngine.connect(DockerEngine.hostOf(null))) {
      return docker.listVolumesCmd().exec().getVolumes().stream()
          .filter(
              v ->
                  v.getLabels() != null
                      && v.getLabels()
                          .getOrDefault(DockerWorkerRuntime.HOME_LABEL, "")
                          .contains("conductor-demo"))
          .map(v -> v.getName())
          .sorted()
          .toList();
    }
  }
}
