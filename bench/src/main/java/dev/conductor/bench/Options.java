package dev.conductor.bench;

import dev.conductor.messaging.time.Durations;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options of {@link Bench}; every one has a default that keeps a run near 4 min. */
record Options(
    Set<String> only,
    int dispatchJobs,
    int warmupJobs,
    Duration gap,
    int roundTrips,
    Duration duration,
    int threads,
    int maxBacklog,
    Duration drain,
    int coldRuns,
    Duration idleTimeout,
    Map<String, String> properties,
    boolean keepHome) {

  static final List<String> SCENARIOS = List.of("a", "b", "c", "d");

  static final String USAGE =
      """
      usage: Bench [options]
        --only a,b,c,d        scenarios to run (default all): a warm dispatch + raw Artemis round
                              trip, b throughput, c cold start, d teardown lag (d runs with c)
        --jobs N              (a) measured sequential jobs (default 2000)
        --warmup N            (a) discarded warm-up jobs and round trips (default 300)
        --gap 0ms             (a) pause between two sequential jobs, to let the conductor's
                              after-job bookkeeping finish first (default 0ms)
        --round-trips N       (a) raw Artemis round trips (default 2000)
        --duration 60s        (b) submission window (default 60s)
        --threads N           (b) concurrent submitters (default 12)
        --max-backlog N       (b) submitters pause while QUEUED + in-flight jobs exceed N
                              (default 2000)
        --drain 60s           (b) how long to wait for the backlog after the window (default 60s)
        --cold-runs N         (c, d) cold starts, each on a fresh affinity key (default 20)
        --idle-timeout 2s     (c, d) idle timeout of the cold plan (default 2s)
        --set KEY=VALUE       an extra conductor property, repeatable, e.g.
                              --set conductor.runtime.process.classpath=<slim worker jar>
        --keep-home           keep the conductor home (worker logs, database) after the run
      """;

  static Options parse(String[] args) {
    Set<String> only = new LinkedHashSet<>(SCENARIOS);
    int jobs = 2000;
    int warmup = 300;
    Duration gap = Duration.ZERO;
    int roundTrips = 2000;
    Duration duration = Duration.ofSeconds(60);
    int threads = 12;
    int maxBacklog = 2000;
    Duration drain = Duration.ofSeconds(60);
    int coldRuns = 20;
    Duration idle = Duration.ofSeconds(2);
    Map<String, String> properties = new LinkedHashMap<>();
    boolean keepHome = false;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--keep-home")) {
        keepHome = true;
        continue;
      }
      if (arg.equals("--help") || arg.equals("-h")) {
        throw new IllegalArgumentException("");
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value after " + arg);
      }
      String value = args[++i];
      switch (arg) {
        case "--only" -> only = scenarios(value);
        case "--jobs" -> jobs = positive(arg, value);
        case "--warmup" -> warmup = Integer.parseInt(value);
        case "--gap" -> gap = duration(value);
        case "--round-trips" -> roundTrips = positive(arg, value);
        case "--duration" -> duration = duration(value);
        case "--threads" -> threads = positive(arg, value);
        case "--max-backlog" -> maxBacklog = positive(arg, value);
        case "--drain" -> drain = duration(value);
        case "--cold-runs" -> coldRuns = positive(arg, value);
        case "--idle-timeout" -> idle = duration(value);
        case "--set" -> {
          int eq = value.indexOf('=');
          if (eq < 1) {
            throw new IllegalArgumentException("--set needs KEY=VALUE: " + value);
          }
          properties.put(value.substring(0, eq), value.substring(eq + 1));
        }
        default -> throw new IllegalArgumentException("unknown option " + arg);
      }
    }
    return new Options(
        only,
        jobs,
        warmup,
        gap,
        roundTrips,
        duration,
        threads,
        maxBacklog,
        drain,
        coldRuns,
        idle,
        properties,
        keepHome);
  }

  boolean runs(String scenario) {
    return only.contains(scenario);
  }

  private static Set<String> scenarios(String value) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String s = part.trim().toLowerCase();
      if (!SCENARIOS.contains(s)) {
        throw new IllegalArgumentException("unknown scenario '" + s + "'; one of " + SCENARIOS);
      }
      chosen.add(s);
    }
    return chosen;
  }

  private static int positive(String option, String value) {
    int n = Integer.parseInt(value);
    if (n < 1) {
      throw new IllegalArgumentException(option + " must be at least 1");
    }
    return n;
  }

  /** 500ms, 60s, 2m: as the conductor's and the worker's settings read them. */
  static Duration duration(String value) {
    try {
      return Durations.parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("duration must look like 500ms, 60s or 2m: " + value, e);
    }
  }
}
