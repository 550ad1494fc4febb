package dev.conductor.bench;

import dev.conductor.ConductorServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * (e) CLI latency: wall time of the real CLI process {@code java -jar conductor.jar tenants list
 * --server URL --token T} beside {@code curl} of the same request and {@code java -version} (the
 * JVM's floor), each a fresh process started from this JVM, interleaved round by round so that the
 * machine's load falls on all of them alike. Experiments (JVM flags, class-data sharing, a jar
 * holding only the classes the command loads, a second JDK) are more variants in the same rounds.
 */
final class CliLatency {
  static final double TARGET_MS = 300;

  /** Where a `tenants list` run's time goes, by the first class of each phase. */
  private static final List<String> MARKS =
      List.of(
          "dev.conductor.cli.ConductorCli", "com.fasterxml.jackson.", "java.net.HttpURLConnection");

  private static final List<String> C1 = List.of("-XX:TieredStopAtLevel=1");
  private static final List<String> SERIAL = List.of("-XX:+UseSerialGC");

  /** Every variant, in table order; {@code --cli-variants all} runs them all. */
  static final List<String> VARIANTS =
      List.of(
          "floor",
          "curl",
          "cli",
          "launcher",
          "c1",
          "serial",
          "cds",
          "tuned",
          "slim",
          "slim-tuned",
          "floor25",
          "jdk25",
          "jdk25-cds",
          "jdk25-aot",
          "jdk25-tuned",
          "jdk25-slim-tuned",
          "probe-http",
          "probe-url");

  /**
   * Always run: the question is the CLI as a user starts it (the distribution's launcher) against
   * curl, with the JVM's floor and the bare jar beside them.
   */
  static final List<String> DEFAULT_VARIANTS = List.of("floor", "curl", "cli", "launcher");

  /**
   * @param environment set for this variant's processes, on top of the bench's minus CONDUCTOR_*
   */
  private record Variant(
      String name,
      String what,
      List<String> command,
      boolean cli,
      Map<String, String> environment) {
    Variant(String name, String what, List<String> command, boolean cli) {
      this(name, what, command, cli, Map.of());
    }
  }

  private record Run(long nanos, int exit, String out) {}

  /** Onboarded one after the other: concurrent onboardings can fail (docs/benchmarks.md). */
  private static final List<String> TENANTS = List.of("bench-cli-1", "bench-cli-2");

  private final ConductorApi api;
  private final URI server;
  private final String token;
  private final Options.Cli options;
  private final Path work;
  private final Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
  private final List<Row> setup = new ArrayList<>();

  CliLatency(ConductorApi api, ConductorServer conductor, Options.Cli options, Path work) {
    this.api = api;
    this.server = conductor.url();
    this.token = conductor.adminToken();
    this.options = options;
    this.work = work;
  }

  List<Row> run() throws IOException, InterruptedException {
    Path jar = options.jar().toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          "no CLI jar at "
              + jar
              + "; build it first: ./mvnw -q -pl cli -am package -Dmaven.test.skip=true");
    }
    Files.createDirectories(work);
    for (String tenant : TENANTS) {
      api.createTenant(tenant, "bench");
      api.awaitTenantReady(tenant, Duration.ofSeconds(120));
    }
    Bench.progress("e: tenants READY: %s", TENANTS);
    Path java25 = options.otherJdk().resolve("bin").resolve("java");
    setup.add(Row.info("e", "CLI jar", describeJar(jar)));
    setup.add(
        Row.info(
            "e", "JDK of the bench (every variant not marked 25)", java17 + " " + version(java17)));
    boolean wants25 = options.variants().stream().anyMatch(v -> v.contains("25"));
    if (wants25 && Files.isExecutable(java25)) {
      setup.add(Row.info("e", "JDK 25 (variants marked 25)", java25 + " " + version(java25)));
    }
    ClassLoadLog loads = classLoads(jar);
    List<Variant> variants = new ArrayList<>();
    for (String name : options.variants()) {
      if (name.contains("25") && !Files.isExecutable(java25)) {
        setup.add(Row.info("e", name, "skipped: no JDK at " + options.otherJdk()));
        continue;
      }
      variants.add(variant(name, jar, java25, loads));
    }
    Map<Variant, Samples> samples = new LinkedHashMap<>();
    variants.forEach(v -> samples.put(v, new Samples()));
    int rounds = options.warmup() + options.runs();
    for (int round = 0; round < rounds; round++) {
      for (Map.Entry<Variant, Samples> measured : samples.entrySet()) {
        Variant v = measured.getKey();
        Run run = time(v.command(), v.environment());
        check(v, run);
        if (round >= options.warmup()) {
          measured.getValue().addNanos(run.nanos());
        }
      }
      if (round == 0 || (round + 1) % 10 == 0) {
        Bench.progress(
            "e: round %d/%d, load average %s", round + 1, rounds, Environment.loadAverage());
      }
    }
    List<Row> rows = new ArrayList<>(setup);
    for (Map.Entry<Variant, Samples> measured : samples.entrySet()) {
      Variant v = measured.getKey();
      Samples s = measured.getValue();
      String value =
          String.format(
              "p50 %s / p90 %s / max %s ms (n=%d)",
              Samples.ms(s.p50()), Samples.ms(s.percentile(90)), Samples.ms(s.max()), s.size());
      rows.add(
          v.cli()
              ? new Row(
                  "e",
                  v.name() + ": " + v.what(),
                  value,
                  "p50 ≤ " + Samples.ms(TARGET_MS) + " ms",
                  s.p50() <= TARGET_MS)
              : Row.info("e", v.name() + ": " + v.what(), value));
    }
    return rows;
  }

  private Variant variant(String name, Path jar, Path java25, ClassLoadLog loads)
      throws IOException, InterruptedException {
    return switch (name) {
      case "floor" ->
          new Variant(name, "`java -version`", List.of(java17.toString(), "-version"), false);
      case "floor25" ->
          new Variant(
              name, "`java -version`, JDK 25", List.of(java25.toString(), "-version"), false);
      case "curl" ->
          new Variant(
              name,
              "`curl -s -H 'Authorization: Bearer T' URL/v1/tenants`",
              List.of(
                  "curl",
                  "-s",
                  "-H",
                  "Authorization: Bearer " + token,
                  server.resolve("/v1/tenants").toString()),
              false);
      case "cli" -> cli(name, "`java -jar conductor.jar tenants list`", java17, jar, List.of());
      case "launcher" -> launcher(name, jar);
      case "c1" -> cli(name, "-XX:TieredStopAtLevel=1", java17, jar, C1);
      case "serial" -> cli(name, "-XX:+UseSerialGC", java17, jar, SERIAL);
      case "cds" ->
          cli(name, "AppCDS archive (-XX:SharedArchiveFile)", java17, jar, cds17(jar, "cli17.jsa"));
      case "tuned" ->
          cli(
              name,
              "AppCDS + C1 only + SerialGC",
              java17,
              jar,
              concat(cds17(jar, "cli17.jsa"), C1, SERIAL));
      case "slim" ->
          cli(name, "jar of the loaded classes only", java17, slim(jar, loads), List.of());
      case "slim-tuned" -> {
        Path slim = slim(jar, loads);
        yield cli(
            name,
            "jar of the loaded classes + AppCDS + C1 + SerialGC",
            java17,
            slim,
            concat(cds17(slim, "slim17.jsa"), C1, SERIAL));
      }
      case "jdk25" -> cli(name, "JDK 25, default flags", java25, jar, List.of());
      case "jdk25-cds" ->
          cli(
              name,
              "JDK 25, -XX:+AutoCreateSharedArchive",
              java25,
              jar,
              List.of(
                  "-XX:+AutoCreateSharedArchive",
                  "-XX:SharedArchiveFile=" + work.resolve("cli25.jsa")));
      case "jdk25-aot" ->
          cli(
              name,
              "JDK 25, AOT cache (-XX:AOTCache)",
              java25,
              jar,
              aot25(java25, jar, "cli25.aot"));
      case "jdk25-tuned" ->
          cli(
              name,
              "JDK 25, AOT cache + C1 + SerialGC",
              java25,
              jar,
              concat(aot25(java25, jar, "cli25.aot"), C1, SERIAL));
      case "jdk25-slim-tuned" -> {
        Path slim = slim(jar, loads);
        yield cli(
            name,
            "JDK 25, jar of the loaded classes + AOT cache + C1 + SerialGC",
            java25,
            slim,
            concat(aot25(java25, slim, "slim25.aot"), C1, SERIAL));
      }
      case "probe-http" -> probe(name, "http", "java.net.http");
      case "probe-url" -> probe(name, "url", "HttpURLConnection");
      default -> throw new IllegalArgumentException("unknown CLI variant " + name);
    };
  }

  /** {@link TenantsProbe} from the bench's own classes, with the flags that helped the CLI. */
  private Variant probe(String name, String client, String what) {
    String classes =
        Path.of(
                URI.create(
                    TenantsProbe.class
                        .getProtectionDomain()
                        .getCodeSource()
                        .getLocation()
                        .toString()))
            .toString();
    List<String> command =
        concat(
            List.of(java17.toString()),
            C1,
            SERIAL,
            List.of(
                "-cp", classes, TenantsProbe.class.getName(), client, server.toString(), token));
    return new Variant(
        name, "one GET with " + what + ", no picocli/Jackson; C1 + SerialGC", command, true);
  }

  /**
   * The distribution's {@code bin/conductor} (dist/src/bin/conductor) on the bench's JDK, running
   * {@code jar}: its flags and its class-data archive, written by the first (warm-up) run into a
   * cache of this bench run's own.
   */
  private Variant launcher(String name, Path jar) {
    Path script = options.launcher().toAbsolutePath();
    if (!Files.isExecutable(script)) {
      throw new IllegalStateException("no launcher at " + script + " (--cli-launcher)");
    }
    List<String> command = new ArrayList<>(List.of(script.toString()));
    command.addAll(tenantsList());
    return new Variant(
        name,
        "`bin/conductor tenants list` (the launcher: C1 + SerialGC + its class-data archive)",
        command,
        true,
        Map.of(
            "CONDUCTOR_CLI_JAR", jar.toString(),
            "JAVA_HOME", System.getProperty("java.home"),
            "XDG_CACHE_HOME", work.resolve("launcher-cache").toString()));
  }

  private Variant cli(String name, String what, Path java, Path jar, List<String> flags) {
    return new Variant(name, what, cliCommand(java, jar, flags), true);
  }

  private List<String> cliCommand(Path java, Path jar, List<String> flags) {
    List<String> command = new ArrayList<>();
    command.add(java.toString());
    command.addAll(flags);
    command.addAll(List.of("-jar", jar.toString()));
    command.addAll(tenantsList());
    return command;
  }

  private List<String> tenantsList() {
    return List.of("tenants", "list", "--server", server.toString(), "--token", token);
  }

  /** A JDK 17 dynamic AppCDS archive of one training run of the command; reused if present. */
  private List<String> cds17(Path jar, String file) throws IOException, InterruptedException {
    Path archive = work.resolve(file);
    if (!Files.exists(archive)) {
      train(cliCommand(java17, jar, List.of("-XX:ArchiveClassesAtExit=" + archive)), archive);
    }
    return List.of("-XX:SharedArchiveFile=" + archive);
  }

  /** A JDK 25 AOT cache (JEP 514: one training run writes it at exit); reused if present. */
  private List<String> aot25(Path java25, Path jar, String file)
      throws IOException, InterruptedException {
    Path cache = work.resolve(file);
    if (!Files.exists(cache)) {
      train(cliCommand(java25, jar, List.of("-XX:AOTCacheOutput=" + cache)), cache);
    }
    return List.of("-XX:AOTCache=" + cache);
  }

  private void train(List<String> command, Path output) throws IOException, InterruptedException {
    Run run = time(command);
    if (run.exit() != 0 || !Files.exists(output)) {
      throw new IllegalStateException("training run failed (" + run.exit() + "): " + command);
    }
    setup.add(
        Row.info(
            "e",
            "training run writing " + output.getFileName(),
            String.format("%.1f s, %.1f MB", run.nanos() / 1e9, Files.size(output) / 1_000_000.0)));
  }

  /**
   * One run with {@code -Xlog:class+load}: what was loaded from where, and when the CLI's main
   * class and the HTTP client were first loaded (JVM boot / picocli and command setup / request and
   * exit).
   */
  private ClassLoadLog classLoads(Path jar) throws IOException, InterruptedException {
    Path log = work.resolve("class-load.log");
    Run run =
        time(cliCommand(java17, jar, List.of("-Xlog:class+load=info:file=" + log + ":uptime")));
    check(new Variant("class-load log", "", List.of(), true), run);
    ClassLoadLog loads = ClassLoadLog.parse(Files.readAllLines(log), MARKS);
    setup.add(
        Row.info(
            "e",
            "classes loaded by one `cli` run: CDS archive / JDK modules / the jar / generated",
            String.format(
                "%d / %d / %d / %d (%d)",
                loads.shared(), loads.jdk(), loads.jar(), loads.other(), loads.total())));
    setup.add(
        Row.info(
            "e",
            "that run (logging on), JVM uptime when it first loads ConductorCli / Jackson /"
                + " HttpURLConnection / its last class; wall time",
            String.format(
                "%.0f / %.0f / %.0f / %.0f ms; %.0f ms",
                loads.marks().get(0),
                loads.marks().get(1),
                loads.marks().get(2),
                loads.lastMillis(),
                run.nanos() / 1e6)));
    return loads;
  }

  /**
   * A copy of the CLI jar holding only the classes the logged run loaded, plus every resource under
   * 256 KiB (so not the PostgreSQL binaries or native libraries): what a small class path for this
   * command would cost. Every run checks that it still prints the tenants.
   */
  private Path slim(Path jar, ClassLoadLog loads) throws IOException {
    Path slim = work.resolve("conductor-slim.jar");
    if (Files.exists(slim)) {
      return slim;
    }
    Set<String> classes = new HashSet<>();
    loads.jarClasses().forEach(c -> classes.add(ClassLoadLog.entry(c)));
    int kept = 0;
    try (ZipFile in = new ZipFile(jar.toFile());
        OutputStream file = Files.newOutputStream(slim);
        ZipOutputStream out = new ZipOutputStream(file)) {
      Enumeration<? extends ZipEntry> entries = in.entries();
      while (entries.hasMoreElements()) {
        ZipEntry entry = entries.nextElement();
        String name = entry.getName();
        boolean keep =
            name.endsWith(".class")
                ? classes.contains(name)
                : !entry.isDirectory() && entry.getSize() < 256 * 1024 && !signature(name);
        if (!keep) {
          continue;
        }
        out.putNextEntry(new ZipEntry(name));
        try (InputStream data = in.getInputStream(entry)) {
          data.transferTo(out);
        }
        out.closeEntry();
        kept++;
      }
    }
    setup.add(
        Row.info(
            "e",
            "slim jar (loaded classes + resources < 256 KiB)",
            String.format("%.1f MB, %d entries", Files.size(slim) / 1_000_000.0, kept)));
    return slim;
  }

  private static boolean signature(String name) {
    return name.startsWith("META-INF/")
        && (name.endsWith(".SF") || name.endsWith(".RSA") || name.endsWith(".DSA"));
  }

  /** The run worked: exit 0 and, for the request, every onboarded tenant in the output. */
  private void check(Variant v, Run run) {
    if (run.exit() != 0) {
      throw new IllegalStateException(v.name() + " exited " + run.exit() + ": " + run.out());
    }
    boolean request = v.cli() || v.name().equals("curl");
    if (request && !TENANTS.stream().allMatch(run.out()::contains)) {
      throw new IllegalStateException(v.name() + " did not list " + TENANTS + ": " + run.out());
    }
  }

  private Run time(List<String> command) throws IOException, InterruptedException {
    return time(command, Map.of());
  }

  private Run time(List<String> command, Map<String, String> environment)
      throws IOException, InterruptedException {
    Path out = work.resolve("out.txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile());
    // Only the flags decide where the CLI connects, not a caller's CONDUCTOR_* variables.
    builder.environment().keySet().removeIf(k -> k.startsWith("CONDUCTOR_"));
    builder.environment().putAll(environment);
    long started = System.nanoTime();
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("no exit within 60 s: " + command);
    }
    long nanos = System.nanoTime() - started;
    return new Run(nanos, process.exitValue(), Files.readString(out));
  }

  private String version(Path java) throws IOException, InterruptedException {
    String out = time(List.of(java.toString(), "-version")).out();
    return out.lines().skip(1).findFirst().orElse("").trim();
  }

  private static String describeJar(Path jar) throws IOException {
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      return String.format(
          "%s: %.1f MB (%.1f MiB), %d entries",
          jar.getFileName(),
          Files.size(jar) / 1_000_000.0,
          Files.size(jar) / 1048576.0,
          zip.size());
    }
  }

  @SafeVarargs
  private static List<String> concat(List<String>... parts) {
    return Stream.of(parts).flatMap(List::stream).toList();
  }
}
