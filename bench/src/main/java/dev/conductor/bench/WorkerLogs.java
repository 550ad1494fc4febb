package dev.conductor.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the worker processes wrote to {@code <home>/workers/<id>.log}: each worker logs every job
 * execution ("job started jobId=…") and its start-up ("starting", "connected to Artemis", "ready …
 * jvmUptimeMs=N"), each line led by the millisecond wall-clock time of this machine (logback on the
 * text format of the worker's logback-worker.xml).
 */
final class WorkerLogs {
  private static final Pattern STARTED =
      Pattern.compile("(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}).*job started jobId=([0-9a-f-]{36})");
  private static final Pattern TIME = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3}");
  private static final Pattern READY = Pattern.compile("ready workerId=\\S+ jvmUptimeMs=(\\d+)");

  private final Path directory;

  WorkerLogs(Path directory) {
    this.directory = directory;
  }

  /**
   * Every execution of the given jobs: job id → the times the worker received it, one per run
   * (local time of day, truncated to the millisecond).
   */
  Map<String, List<LocalTime>> executions(Set<String> jobIds) {
    Map<String, List<LocalTime>> runs = new HashMap<>();
    try (Stream<Path> logs = Files.list(directory)) {
      for (Path log : logs.toList()) {
        try (Stream<String> lines = Files.lines(log)) {
          lines.forEach(
              line -> {
                Matcher m = STARTED.matcher(line);
                if (m.find() && jobIds.contains(m.group(2))) {
                  runs.computeIfAbsent(m.group(2), id -> new ArrayList<>())
                      .add(LocalTime.parse(m.group(1)));
                }
              });
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return runs;
  }

  /** A log time of day as an instant, on the day of {@code near} (this machine's zone). */
  static Instant at(LocalTime time, Instant near) {
    ZoneId zone = ZoneId.systemDefault();
    LocalDate day = LocalDate.ofInstant(near, zone);
    return time.atDate(day).atZone(zone).toInstant();
  }

  /**
   * A worker's start-up from its log, in ms: JVM start → main running ("starting"), → connected to
   * Artemis, → {@code ready} sent (receivers opened). The first comes from {@code jvmUptimeMs}.
   */
  record Startup(double boot, double connect, double ready) {}

  Optional<Startup> startup(UUID workerId) {
    LocalTime starting = null;
    LocalTime connected = null;
    try (Stream<String> lines = Files.lines(directory.resolve(workerId + ".log"))) {
      for (String line : (Iterable<String>) lines::iterator) {
        Matcher time = TIME.matcher(line);
        if (!time.find()) {
          continue;
        }
        if (starting == null && line.contains(" starting workerId=")) {
          starting = LocalTime.parse(time.group());
        } else if (connected == null && line.contains(" connected to Artemis")) {
          connected = LocalTime.parse(time.group());
        } else {
          Matcher m = READY.matcher(line);
          if (m.find() && starting != null && connected != null) {
            LocalTime ready = LocalTime.parse(time.group());
            double uptime = Double.parseDouble(m.group(1));
            double connect = Duration.between(starting, connected).toNanos() / 1e6;
            double afterConnect = Duration.between(connected, ready).toNanos() / 1e6;
            return Optional.of(new Startup(uptime - connect - afterConnect, connect, afterConnect));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no log or an unexpected line: no breakdown for this worker
    }
    return Optional.empty();
  }
}
