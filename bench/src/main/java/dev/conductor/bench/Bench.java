package dev.conductor.bench;

import dev.conductor.ConductorServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmarks jobs on the embedded default: starts a real conductor in this JVM (embedded PostgreSQL
 * and Artemis, process workers) on a temporary home, onboards one tenant per scenario and prints a
 * Markdown results table. A harness to run by hand, never a test: see bench/README.md.
 */
public final class Bench {
  private static final long STARTED = System.nanoTime();

  private Bench() {}

  public static void main(String[] args) throws Exception {
    // Before any logger exists; worker processes do not inherit it.
    System.setProperty("logback.configurationFile", "logback-bench.xml");
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      if (message != null && !message.isEmpty()) {
        System.err.println(message);
      }
      System.err.print(Options.USAGE);
      System.exit(2);
      return;
    }
    // The typed client is on HttpURLConnection, whose keep-alive cache holds 5 connections per
    // server by default: (b)'s submitters would open a new one per request beyond that, and
    // (spread) runs a client per tenant.
    int clients = Math.max(options.threads(), options.scale().spreadTenants());
    System.setProperty("http.maxConnections", String.valueOf(Math.max(5, clients + 2)));
    Path home = Files.createTempDirectory("conductor-bench");
    progress("conductor home %s, load average %s", home, Environment.loadAverage());
    List<Row> rows = new ArrayList<>();
    try (ConductorServer server = ConductorServer.start(properties(home, options));
        ConductorDatabase db = new ConductorDatabase(server)) {
      progress("conductor up at %s", server.url());
      ConductorApi api = new ConductorApi(server.url(), server.adminToken());
      WorkerLogs workerLogs = new WorkerLogs(server.home().resolve("workers"));
      Map<String, String> keys = onboard(api, options);
      if (options.runs("a")) {
        rows.addAll(
            new WarmDispatch(
                    api,
                    db,
                    workerLogs,
                    key(keys, "bench-warm"),
                    options.dispatchJobs(),
                    options.warmupJobs(),
                    options.gap())
                .run());
        rows.addAll(
            new BrokerRoundTrip(options.roundTrips(), options.warmupJobs())
                .run(home.resolve("raw-artemis")));
      }
      if (options.runs("b")) {
        rows.addAll(
            new Throughput(
                    api,
                    db,
                    workerLogs,
                    server.home(),
                    "bench-load",
                    key(keys, "bench-load"),
                    options)
                .run());
      }
      if (options.runs("c") || options.runs("d")) {
        ColdStart.Results results =
            new ColdStart(
                    api,
                    db,
                    "bench-cold",
                    key(keys, "bench-cold"),
                    options.coldRuns(),
                    options.idleTimeout(),
                    workerLogs)
                .run("c", PROCESS_COLD_START_TARGET_MS, "d");
        if (options.runs("c")) {
          rows.addAll(results.coldStart());
        }
        if (options.runs("d")) {
          rows.addAll(results.teardown());
        }
      }
      if (options.runs("f")) {
        ColdStart.Results results =
            new ColdStart(
                    api,
                    db,
                    "bench-cold-docker",
                    key(keys, "bench-cold-docker"),
                    options.coldRuns(),
                    options.idleTimeout(),
                    workerLogs)
                .run("f", DOCKER_COLD_START_TARGET_MS, "f");
        rows.addAll(results.coldStart());
        rows.addAll(results.teardown());
        rows.addAll(
            new BareContainer(BareContainer.BASE_IMAGE, options.coldRuns())
                .run(results.coldStartP50()));
      }
      if (options.runs("batch")) {
        rows.addAll(
            new BatchSubmit(api, db, "bench-batch", key(keys, "bench-batch"), options.batchRuns())
                .run());
      }
      Options.Scale scale = options.scale();
      if (options.runs("fair")) {
        rows.addAll(
            new FairTenants(
                    api,
                    db,
                    key(keys, FairTenants.A),
                    key(keys, FairTenants.B),
                    scale.fairWindow(),
                    scale.fairBacklog())
                .run());
      }
      if (options.runs("backlog")) {
        rows.addAll(
            new BacklogDispatch(
                    api,
                    db,
                    key(keys, BacklogDispatch.TENANT),
                    scale.backlogSmall(),
                    scale.backlogLarge(),
                    scale.backlogWindow())
                .run());
      }
      if (options.runs("spread")) {
        rows.addAll(
            new TenantSpread(api, scale.spreadTenants(), scale.spreadJobs(), scale.spreadWindow())
                .run());
      }
      if (options.runs("onboard")) {
        rows.addAll(
            new Onboarding(
                    api, scale.onboardTenants(), scale.onboardConcurrency(), scale.onboardLimit())
                .run());
      }
      if (options.runs("scale")) {
        rows.addAll(
            new ConsoleAtScale(server, scale.scaleTenants(), scale.scaleJobs(), scale.scaleRuns())
                .run());
      }
      if (options.runs("e")) {
        rows.addAll(new CliLatency(api, server, options.cli(), home.resolve("cli")).run());
      }
    } finally {
      rows.addAll(Orphans.reap(home));
      if (options.runs("f")) {
        BareContainer.removeVolumesOf(home);
      }
      if (options.keepHome()) {
        progress("kept conductor home %s", home);
      } else {
        deleteQuietly(home);
      }
      print(rows);
    }
  }

  /** Issue 11's cold-start targets on this machine: submit → started on a new worker. */
  static final double PROCESS_COLD_START_TARGET_MS = 600;

  static final double DOCKER_COLD_START_TARGET_MS = 1000;

  /** The slim worker jar the build makes; worker processes start from it, as users' do. */
  static final Path WORKER_JAR = Path.of("worker-container/target/conductor-worker.jar");

  /**
   * Plans: {@code bench} (a, b, batch) with room for a burst; {@code cold} (c, d) with one worker
   * per key and a short idle timeout, and {@code cold-docker} (f) the same on the docker runtime.
   * Worker processes start from the slim worker jar, as in the distribution. Reconcile every 500 ms
   * so a crashed worker is noticed quickly.
   */
  static Map<String, Object> properties(Path home, Options options) {
    Map<String, Object> p = new HashMap<>();
    if (Files.isRegularFile(WORKER_JAR)) {
      p.put("conductor.runtime.process.worker-jar", WORKER_JAR.toAbsolutePath().toString());
    }
    p.put("conductor.home", home.toString());
    p.put("micronaut.server.port", -1);
    p.put("conductor.bus.artemis.embedded-port", 0);
    p.put("logger.levels.root", "WARN");
    p.put("conductor.workers.reconcile-interval", "500ms");
    p.put("conductor.operations.poll-interval", "100ms");
    plan(p, "bench", 64, 4, 16, "5m");
    plan(p, "cold", 4, 1, 64, options.idleTimeout().toMillis() + "ms");
    if (options.runs("f")) {
      // Only when (f) runs: the docker runtime is made, and needs its engine, only for a plan
      // that names it.
      plan(p, "cold-docker", 4, 1, 64, options.idleTimeout().toMillis() + "ms");
      p.put("conductor.plans.cold-docker.runtime", "docker");
      p.put("conductor.plans.cold-docker.worker-image", "conductor-worker:latest");
    }
    p.putAll(options.properties());
    return p;
  }

  private static void plan(
      Map<String, Object> p, String name, int capacity, int perKey, int perTenant, String idle) {
    String prefix = "conductor.plans." + name + ".";
    p.put(prefix + "worker-capacity", capacity);
    p.put(prefix + "max-workers-per-key", perKey);
    p.put(prefix + "max-workers-per-tenant", perTenant);
    p.put(prefix + "idle-timeout", idle);
    p.put(prefix + "max-attempts", 3);
    p.put(prefix + "job-timeout", "1m");
    p.put(prefix + "max-payload-bytes", 65536);
    p.put(prefix + "worker-image", "x");
    p.put(prefix + "job-types", List.of("echo", "sleep", "fail"));
  }

  /** One tenant per scenario, onboarded in parallel; returns tenant → API key. */
  /** The API key of a tenant that {@link #onboard} created for the scenarios chosen. */
  private static String key(Map<String, String> keys, String tenant) {
    String key = keys.get(tenant);
    if (key == null) {
      throw new IllegalStateException("tenant " + tenant + " was not onboarded");
    }
    return key;
  }

  private static Map<String, String> onboard(ConductorApi api, Options options) {
    Map<String, String> plans = new LinkedHashMap<>();
    if (options.runs("a")) {
      plans.put("bench-warm", "bench");
    }
    if (options.runs("b")) {
      plans.put("bench-load", "bench");
    }
    if (options.runs("c") || options.runs("d")) {
      plans.put("bench-cold", "cold");
    }
    if (options.runs("f")) {
      plans.put("bench-cold-docker", "cold-docker");
    }
    if (options.runs("batch")) {
      plans.put("bench-batch", "bench");
    }
    if (options.runs("fair")) {
      plans.put(FairTenants.A, "bench");
      plans.put(FairTenants.B, "bench");
    }
    if (options.runs("backlog")) {
      plans.put(BacklogDispatch.TENANT, "bench");
    }
    Map<String, String> keys = api.onboardAll(plans, Duration.ofSeconds(120));
    progress("tenants READY: %s", keys.keySet());
    return keys;
  }

  private static void print(List<Row> rows) {
    StringBuilder out = new StringBuilder();
    out.append("\n## Results ")
        .append(LocalDateTime.now().format(DateTimeFormatter.ISO_LOCAL_DATE_TIME).substring(0, 16))
        .append("\n\n")
        .append(Environment.describe())
        .append("\n| scenario | metric | measured | target | |\n|---|---|---|---|---|\n");
    for (Row row : rows) {
      out.append("| ")
          .append(row.scenario())
          .append(" | ")
          .append(row.metric())
          .append(" | ")
          .append(row.value())
          .append(" | ")
          .append(row.target())
          .append(" | ")
          .append(row.verdict())
          .append(" |\n");
    }
    System.out.println(out);
  }

  static void progress(String format, Object... args) {
    double seconds = (System.nanoTime() - STARTED) / 1e9;
    System.err.printf("[bench %6.1fs] %s%n", seconds, String.format(format, args));
  }

  private static void deleteQuietly(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      progress("could not delete %s: %s", root, e);
    }
  }
}
