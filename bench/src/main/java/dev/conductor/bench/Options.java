package dev.conductor.bench;

import dev.conductor.messaging.time.Durations;
import java.nio.file.Path;
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
    boolean keepHome,
    Cli cli,
    int batchRuns,
    Scale scale) {

  static final List<String> SCENARIOS =
      List.of(
          "a", "b", "c", "d", "e", "f", "batch", "fair", "spread", "backlog", "onboard", "scale");

  /**
   * Run unless {@code --only} says otherwise; (e) needs the CLI jar built first, (f) a Docker
   * engine with the worker image.
   */
  static final List<String> DEFAULT_SCENARIOS = List.of("a", "b", "c", "d");

  /**
   * (fair, spread, backlog, onboard): tenants at scale, issue 12 items 5 and 6; (scale): the
   * console's requests over many seeded tenants and jobs, issue 13 item 4.
   */
  record Scale(
      Duration fairWindow,
      int fairBacklog,
      int spreadTenants,
      int spreadJobs,
      Duration spreadWindow,
      int backlogSmall,
      int backlogLarge,
      Duration backlogWindow,
      int onboardTenants,
      int onboardConcurrency,
      Duration onboardLimit,
      int scaleTenants,
      int scaleJobs,
      int scaleRuns) {}

  /** (scale) names its tenants scale-00001..: five digits. */
  static final int MAX_SCALE_TENANTS = 99_999;

  /** (e): the CLI jar, its variants and how often each runs. */
  record Cli(Path jar, Path launcher, Set<String> variants, int runs, int warmup, Path otherJdk) {}

  static final String USAGE =
      """
      usage: Bench [options]
        --only a,b,c,d        scenarios to run (default a,b,c,d): a warm dispatch + raw Artemis round
                              trip, b throughput, c cold start, d teardown lag (d runs with c),
                              e CLI latency (`conductor tenants list` beside curl),
                              f cold start and teardown lag on the docker runtime, beside a bare
                              `docker run` of the base image (needs an engine and the images),
                              batch POST /v1/jobs/batch of 1,000 jobs,
                              fair tenant B's dispatch beside tenant A's backlog,
                              spread many tenants at once, backlog dispatch rate
                              against the backlog's size, onboard many tenants,
                              scale the console's requests over seeded tenants and jobs
                              (e, f, batch, fair, spread, backlog, onboard, scale only when
                              named)
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
        --cold-runs N         (c, d, f) cold starts, each on a fresh affinity key (default 20)
        --idle-timeout 2s     (c, d, f) idle timeout of the cold plans (default 2s)
        --set KEY=VALUE       an extra conductor property, repeatable, e.g.
                              --set conductor.runtime.process.class-data=false
        --cli-jar PATH        (e) the CLI jar (default cli/target/conductor.jar)
        --cli-launcher PATH   (e) the launcher of variant launcher (default dist/src/bin/conductor)
        --cli-variants LIST   (e) experiments besides floor,curl,cli,launcher, or all (default
                              none):
                              c1, serial, cds, tuned, slim, slim-tuned, floor25, jdk25,
                              jdk25-cds, jdk25-aot, jdk25-tuned, jdk25-slim-tuned,
                              probe-http, probe-url
        --cli-runs N          (e) measured runs of each variant (default 30)
        --cli-warmup N        (e) discarded runs of each variant first (default 3)
        --other-jdk PATH      (e) the JDK of the *25 variants
                              (default /usr/lib/jvm/temurin-25-jdk-amd64)
        --batch-runs N        (batch) measured batches, after 3 warm-up ones (default 10)
        --fair-window 30s     (fair) B's one-job-a-second window, alone and beside A (default 30s)
        --fair-backlog N      (fair) A's backlog, held by batches (default 20000)
        --spread-tenants N    (spread) tenants submitting at once (default 100)
        --spread-jobs N       (spread) most jobs per tenant (default 1000)
        --spread-window 60s   (spread) how long they submit (default 60s)
        --backlog-small N     (backlog) the small backlog (default 1000)
        --backlog-large N     (backlog) the large backlog (default 100000)
        --backlog-window 20s  (backlog) the window each rate is measured over (default 20s)
        --tenants N           (onboard) tenants onboarded (default 1000)
        --onboard-concurrency N  (onboard) onboardings at once (default 1: one after another)
        --onboard-limit 10m   (onboard) no new onboarding after this long (default 10m)
        --scale-tenants N     (scale) tenants seeded, READY (default 10000, at most 99999)
        --scale-jobs N        (scale) ended jobs seeded, a tenth on one tenant (default 1000000)
        --scale-runs N        (scale) timed runs of each request, after 3 warm-ups (default 20)
        --keep-home           keep the conductor home (worker logs, database) after the run
      """;

  static Options parse(String[] args) {
    Set<String> only = new LinkedHashSet<>(DEFAULT_SCENARIOS);
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
    Path cliJar = Path.of("cli/target/conductor.jar");
    Path cliLauncher = Path.of("dist/src/bin/conductor");
    Set<String> cliVariants = new LinkedHashSet<>(CliLatency.DEFAULT_VARIANTS);
    int cliRuns = 30;
    int cliWarmup = 3;
    Path otherJdk = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    int batchRuns = 10;
    Duration fairWindow = Duration.ofSeconds(30);
    int fairBacklog = 20_000;
    int spreadTenants = 100;
    int spreadJobs = 1000;
    Duration spreadWindow = Duration.ofSeconds(60);
    int backlogSmall = 1000;
    int backlogLarge = 100_000;
    Duration backlogWindow = Duration.ofSeconds(20);
    int onboardTenants = 1000;
    int onboardConcurrency = 1;
    Duration onboardLimit = Duration.ofMinutes(10);
    int scaleTenants = 10_000;
    int scaleJobs = 1_000_000;
    int scaleRuns = 20;
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
        case "--cli-jar" -> cliJar = Path.of(value);
        case "--cli-launcher" -> cliLauncher = Path.of(value);
        case "--cli-variants" -> cliVariants.addAll(variants(value));
        case "--cli-runs" -> cliRuns = positive(arg, value);
        case "--cli-warmup" -> cliWarmup = Integer.parseInt(value);
        case "--other-jdk" -> otherJdk = Path.of(value);
        case "--batch-runs" -> batchRuns = positive(arg, value);
        case "--fair-window" -> fairWindow = duration(value);
        case "--fair-backlog" -> fairBacklog = positive(arg, value);
        case "--spread-tenants" -> spreadTenants = positive(arg, value);
        case "--spread-jobs" -> spreadJobs = positive(arg, value);
        case "--spread-window" -> spreadWindow = duration(value);
        case "--backlog-small" -> backlogSmall = positive(arg, value);
        case "--backlog-large" -> backlogLarge = positive(arg, value);
        case "--backlog-window" -> backlogWindow = duration(value);
        case "--tenants" -> onboardTenants = positive(arg, value);
        case "--onboard-concurrency" -> onboardConcurrency = positive(arg, value);
        case "--onboard-limit" -> onboardLimit = duration(value);
        case "--scale-tenants" -> {
          scaleTenants = positive(arg, value);
          if (scaleTenants > MAX_SCALE_TENANTS) {
            throw new IllegalArgumentException(arg + " must be at most " + MAX_SCALE_TENANTS);
          }
        }
        case "--scale-jobs" -> scaleJobs = positive(arg, value);
        case "--scale-runs" -> scaleRuns = positive(arg, value);
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
        keepHome,
        new Cli(cliJar, cliLauncher, variantsInOrder(cliVariants), cliRuns, cliWarmup, otherJdk),
        batchRuns,
        new Scale(
            fairWindow,
            fairBacklog,
            spreadTenants,
            spreadJobs,
            spreadWindow,
            backlogSmall,
            backlogLarge,
            backlogWindow,
            onboardTenants,
            onboardConcurrency,
            onboardLimit,
            scaleTenants,
            scaleJobs,
            scaleRuns));
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

  private static Set<String> variants(String value) {
    if (value.equals("all")) {
      return new LinkedHashSet<>(CliLatency.VARIANTS);
    }
    Set<String> chosen = new LinkedHashSet<>();
    for (String part : value.split(",")) {
      String v = part.trim();
      if (!CliLatency.VARIANTS.contains(v)) {
        throw new IllegalArgumentException(
            "unknown CLI variant '" + v + "'; one of " + CliLatency.VARIANTS);
      }
      chosen.add(v);
    }
    return chosen;
  }

  /** The table's order, whatever the command line's. */
  private static Set<String> variantsInOrder(Set<String> chosen) {
    Set<String> ordered = new LinkedHashSet<>();
    CliLatency.VARIANTS.stream().filter(chosen::contains).forEach(ordered::add);
    return ordered;
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
