package dev.conductor.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The machine a result was measured on, for the report. */
final class Environment {
  private Environment() {}

  static String describe() {
    return String.format(
        "- machine: %d CPUs (%s), %s memory%n- JDK: %s %s (%s)%n- OS: %s %s%n"
            + "- load average at the end (1, 5, 15 min): %s%n",
        Runtime.getRuntime().availableProcessors(),
        firstValue(Path.of("/proc/cpuinfo"), "model name"),
        firstValue(Path.of("/proc/meminfo"), "MemTotal"),
        System.getProperty("java.vm.vendor"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"),
        System.getProperty("os.name"),
        System.getProperty("os.version"),
        loadAverage());
  }

  /** Other work on the machine skews every number: shown so a noisy run can be spotted. */
  static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return parts[0] + ", " + parts[1] + ", " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static String firstValue(Path file, String key) {
    try {
      List<String> lines = Files.readAllLines(file);
      for (String line : lines) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException e) {
      // not Linux: leave it out
    }
    return "unknown";
  }
}
