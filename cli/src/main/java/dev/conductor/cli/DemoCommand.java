package dev.conductor.cli;

import dev.conductor.cli.demo.EngineContainers;
import dev.conductor.cli.demo.Walkthrough;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The README's first command: starts a throwaway conductor on the embedded default with short
 * timers, onboards a tenant, runs a burst of jobs on workers started for their affinity keys,
 * watches the idle workers tear down and offboards the tenant, using the same verbs an operator and
 * a tenant's app would.
 */
@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Start a conductor (conductor-server.jar, found as by 'conductor server') on the embedded"
          + " default in a temporary home, onboard a demo tenant, run a burst of jobs"
          + " on workers started on demand per affinity key, wait for their idle teardown,"
          + " offboard the tenant and clean up.",
      "Exits 0 only if every job SUCCEEDED on a worker of its own key and every worker ended."
    })
public final class DemoCommand implements Callable<Integer> {

  /** Short timers so that the idle teardown happens within the demo. */
  static final Map<String, String> DEMO_TIMERS =
      Map.of(
          "conductor.plans.dev.idle-timeout", "5s",
          "conductor.workers.heartbeat-interval", "1s",
          "conductor.workers.reconcile-interval", "1s",
          "conductor.workers.shutdown-grace", "5s");

  /** The docker runtime's default image, built by worker-container (-Pjib). */
  static final String WORKER_IMAGE = "conductor-worker:latest";

  /** How long the server may take to serve: a first start unpacks PostgreSQL. */
  private static final Duration STARTUP = Duration.ofMinutes(3);

  @Spec CommandSpec spec;

  @ParentCommand ConductorCli cli;

  @Option(
      names = "--tenant",
      defaultValue = "demo",
      description = "Name of the demo tenant (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--jobs-per-key",
      paramLabel = "N",
      defaultValue = "6",
      description =
          "Sleep jobs submitted for each of the two affinity keys (default: ${DEFAULT-VALUE}).")
  int jobsPerKey;

  @Option(
      names = "--runtime",
      paramLabel = "KIND",
      defaultValue = "process",
      description =
          "Where workers run: process (child processes of the server) or docker (a container each,"
              + " on the local Docker engine, from the image "
              + WORKER_IMAGE
              + "; default: ${DEFAULT-VALUE}).")
  String runtime;

  @Option(
      names = "--keep-home",
      description =
          "Keep the temporary conductor home afterwards (database, broker data, worker logs under"
              + " workers/).")
  boolean keepHome;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (jobsPerKey < 1) {
      throw new ParameterException(spec.commandLine(), "--jobs-per-key must be at least 1");
    }
    if (!List.of("process", "docker").contains(runtime)) {
      throw new ParameterException(
          spec.commandLine(), "--runtime must be process or docker, got '" + runtime + "'");
    }
    PrintWriter out = spec.commandLine().getOut();
    EngineContainers containers = null;
    if (runtime.equals("docker")) {
      containers = EngineContainers.local(cli.environment());
      if (!containers.hasImage(WORKER_IMAGE)) {
        spec.commandLine()
            .getErr()
            .println(
                "conductor: --runtime docker needs a Docker engine holding "
                    + WORKER_IMAGE
                    + ": worker-container/image/build-base.sh, then ./mvnw -pl worker-container"
                    + " -am -Pjib package -DskipTests (worker-container/README.md)");
        return ExitCodes.OPERATION_FAILED;
      }
    }
    Path home = Files.createTempDirectory("conductor-demo");
    out.println(
        "==> starting an embedded conductor (PostgreSQL + Artemis) in "
            + home
            + ", with demo timers: "
            + new TreeMap<>(DEMO_TIMERS)
            + (containers == null ? "" : "; workers are containers of " + WORKER_IMAGE));
    out.flush();
    Map<String, String> properties = new HashMap<>(DEMO_TIMERS);
    properties.put("conductor.home", home.toString());
    properties.put("micronaut.server.port", "-1");
    properties.put("conductor.bus.artemis.embedded-port", "0");
    properties.put("logger.levels.root", "WARN");
    properties.put("conductor.runtime.kind", runtime);
    // The demo's own operator token: the commands below use it, whatever the caller's is.
    String token = "demo-" + UUID.randomUUID();
    Map<String, String> serverEnvironment = new HashMap<>(cli.environment());
    serverEnvironment.put("CONDUCTOR_ADMIN_TOKEN", token);
    int code;
    try (ServerProcess server = ServerProcess.start(serverEnvironment, properties)) {
      Optional<String> url = awaitUrl(server, home);
      if (url.isEmpty()) {
        out.println("==> the conductor did not start (its output is above)");
        code = server.isAlive() ? ExitCodes.OPERATION_FAILED : server.waitFor();
      } else {
        out.println(
            "==> conductor listening on "
                + url.get()
                + "; the commands below find it through CONDUCTOR_URL and CONDUCTOR_TOKEN");
        Map<String, String> environment = new HashMap<>(cli.environment());
        environment.put(ConnectionSettings.URL_VARIABLE, url.get());
        environment.put(ConnectionSettings.TOKEN_VARIABLE, token);
        environment.put(ConnectionSettings.HOME_VARIABLE, home.toString());
        environment.remove(ConnectionSettings.API_KEY_VARIABLE);
        code =
            new Walkthrough(
                    out,
                    spec.commandLine().getErr(),
                    cli.interactive(),
                    environment,
                    tenant,
                    jobsPerKey,
                    home,
                    containers)
                .run();
        out.println();
        out.println("==> stopping the conductor");
        out.flush();
      }
    } finally {
      if (keepHome) {
        out.println("==> kept the conductor home: " + home + " (worker logs in workers/)");
      } else {
        deleteRecursively(home);
        if (containers != null) {
          removeClassData(containers, home, out);
        }
      }
    }
    out.println(code == ExitCodes.OK ? "==> demo finished" : "==> demo failed (exit " + code + ")");
    out.flush();
    return code;
  }

  /** The workers' class-data volume of the demo's home goes with the home. */
  private static void removeClassData(EngineContainers containers, Path home, PrintWriter out) {
    try {
      containers.removeVolumesOf(home);
    } catch (IOException e) {
      out.println("==> the class-data volume of " + home + " was not removed: " + e.getMessage());
    }
  }

  /** The URL the server records in its home once it serves; empty if it ended or took too long. */
  private static Optional<String> awaitUrl(ServerProcess server, Path home)
      throws InterruptedException {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (server.isAlive() && System.nanoTime() < deadline) {
      Optional<String> url = RecordedServer.url(home);
      if (url.isPresent()) {
        return url;
      }
      Thread.sleep(100);
    }
    return Optional.empty();
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
