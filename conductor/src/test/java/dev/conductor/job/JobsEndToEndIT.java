package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The jobs end-to-end scenarios on the process runtime: each worker a child process. */
class JobsEndToEndIT extends JobsEndToEndContract {
  private static final Duration KILLED_WITHIN = Duration.ofSeconds(30);

  @Override
  protected void kill(String workerId) {
    ProcessHandle process = process(workerId);
    process.destroyForcibly();
    assertThat(process.onExit()).as("the worker process ended").succeedsWithin(KILLED_WITHIN);
  }

  @Override
  protected List<String> environmentOf(String workerId) {
    try {
      return List.of(
          Files.readString(
                  Path.of("/proc/" + process(workerId).pid() + "/environ"), StandardCharsets.UTF_8)
              .split("\0"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  protected List<?> workersRunning() {
    return conductor.workerProcesses();
  }

  private ProcessHandle process(String workerId) {
    return conductor.workerProcesses().stream()
        .filter(
            p ->
                p.info()
                    .arguments()
                    .map(a -> List.of(a).contains("-Dconductor.worker=" + workerId))
                    .orElse(false))
        .findFirst()
        .orElseThrow();
  }
}
