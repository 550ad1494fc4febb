package dev.conductor.bench;

import dev.conductor.runtime.ProcessWorkerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CPU time used so far by the processes of a run, grouped: this JVM (conductor and benchmark client
 * together), PostgreSQL (its server and backends), worker JVMs, all found by the conductor home on
 * their command line. Processes that end between two snapshots are missed.
 */
final class CpuTime {
  private CpuTime() {}

  /** CPU used so far by this JVM, and by the PostgreSQL and worker processes of {@code home}. */
  static Map<String, Duration> snapshot(Path home) {
    Map<String, Duration> used = new LinkedHashMap<>();
    used.put("conductor+client JVM", cpu(ProcessHandle.current()));
    used.put("PostgreSQL", Duration.ZERO);
    used.put("worker JVMs", Duration.ZERO);
    ProcessHandle.allProcesses()
        .forEach(
            process -> {
              List<String> arguments = List.of(process.info().arguments().orElse(new String[0]));
              if (arguments.contains(home.resolve("postgres").toString())) {
                // the postmaster (-D <home>/postgres) and its backends
                Duration all =
                    process.descendants().map(CpuTime::cpu).reduce(cpu(process), Duration::plus);
                used.merge("PostgreSQL", all, Duration::plus);
              }
            });
    for (ProcessHandle worker : ProcessWorkerRuntime.processesOf(home)) {
      used.merge("worker JVMs", cpu(worker), Duration::plus);
    }
    return used;
  }

  private static Duration cpu(ProcessHandle process) {
    return process.info().totalCpuDuration().orElse(Duration.ZERO);
  }

  /** "conductor+client JVM 61%, PostgreSQL 30%, …" of {@code cores} × {@code wall}. */
  static String share(Map<String, Duration> before, Map<String, Duration> after, Duration wall) {
    double capacity = wall.toNanos() * (double) Runtime.getRuntime().availableProcessors();
    StringBuilder out = new StringBuilder();
    double total = 0;
    for (Map.Entry<String, Duration> entry : after.entrySet()) {
      long used =
          entry.getValue().minus(before.getOrDefault(entry.getKey(), Duration.ZERO)).toNanos();
      total += used;
      out.append(entry.getKey())
          .append(String.format(" %.0f%%", 100 * used / capacity))
          .append(", ");
    }
    return out.append(String.format("all %.0f%% of the machine", 100 * total / capacity))
        .toString();
  }
}
