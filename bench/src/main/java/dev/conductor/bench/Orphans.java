package dev.conductor.bench;

import dev.conductor.runtime.ProcessWorkerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Worker processes of this run's conductor home that outlive {@code ConductorServer.close()}. The
 * harness waits for them a little, then kills what is left, so runs do not pile up orphans that
 * skew the next measurement; the count is reported, since none should be left.
 */
final class Orphans {
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private Orphans() {}

  static List<Row> reap(Path home) {
    List<ProcessHandle> left = ProcessWorkerRuntime.processesOf(home);
    int atClose = left.size();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!left.isEmpty() && System.nanoTime() < deadline) {
      ConductorApi.sleep(Duration.ofMillis(200));
      left = ProcessWorkerRuntime.processesOf(home);
    }
    left.forEach(ProcessHandle::destroyForcibly);
    if (!left.isEmpty()) {
      Bench.progress(
          "%d worker processes still ran %ds after the conductor closed; killed them",
          left.size(), PATIENCE.toSeconds());
    }
    return List.of(
        Row.info(
            "all", "worker processes alive when ConductorServer.close() returned", atClose + ""),
        new Row(
            "all",
            "worker processes alive " + PATIENCE.toSeconds() + " s after ConductorServer.close()",
            left.size() + (left.isEmpty() ? "" : " (killed by the harness)"),
            "0",
            left.isEmpty()));
  }
}
