package dev.conductor.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A real {@code java -jar conductor.jar server} child process on the embedded default, with its own
 * home and free ports, output in {@code target/e2e/NAME.log}.
 */
final class ConductorProcess implements AutoCloseable {

  static final Duration STARTUP = Duration.ofSeconds(90);
  static final Duration GRACEFUL_STOP = Duration.ofSeconds(30);
  private static final Duration KILL = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();
  // A test JVM that dies early (failsafe timeout, Ctrl-C) still takes its servers with it.
  private static final Set<ConductorProcess> OPEN = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> List.copyOf(OPEN).forEach(ConductorProcess::close), "e2e-cleanup"));
  }

  private final String name;
  private final Path home;
  private final int httpPort;
  private final int busPort;
  private final Path log;
  private final Process process;
  private final List<ProcessHandle> abandoned = new ArrayList<>();
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private ConductorProcess(
      String name, Path home, int httpPort, int busPort, Path log, Process process) {
    this.name = name;
    this.home = home;
    this.httpPort = httpPort;
    this.busPort = busPort;
    this.log = log;
    this.process = process;
  }

  /**
   * Starts {@code conductor server} on {@code home} and waits until {@code /health} is UP.
   *
   * @param name names the log file, unique per start within a run
   * @param environment extra variables, e.g. CONDUCTOR_OPERATIONS_STEP_DELAY
   */
  static ConductorProcess start(String name, Path home, Map<String, String> environment) {
    // Never the default 61616: another conductor on this machine may hold it.
    return start(name, home, environment, E2e.freePort(), E2e.freePort());
  }

  /**
   * Starts {@code conductor server} on {@code home} with the given HTTP and embedded broker ports,
   * e.g. those of an earlier server on the same home, so that its surviving workers reconnect.
   */
  static ConductorProcess start(
      String name, Path home, Map<String, String> environment, int httpPort, int busPort) {
    return start(
        name,
        home,
        environment,
        httpPort,
        busPort,
        List.of(E2e.java(), "-jar", E2e.jar().toString(), "server"));
  }

  /** Starts the server with {@code command}, e.g. through the {@code bin/conductor} launcher. */
  static ConductorProcess start(
      String name,
      Path home,
      Map<String, String> environment,
      int httpPort,
      int busPort,
      List<String> command) {
    Map<String, String> variables = new HashMap<>(environment);
    variables.put("CONDUCTOR_HOME", home.toString());
    variables.put("MICRONAUT_SERVER_PORT", Integer.toString(httpPort));
    variables.put("CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT", Integer.toString(busPort));
    Path log = E2e.outputDirectory().resolve(name + ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    Map<String, String> childEnvironment = builder.environment();
    Map<String, String> clean = E2e.environment(childEnvironment, variables);
    childEnvironment.clear();
    childEnvironment.putAll(clean);
    ConductorProcess server;
    try {
      server = new ConductorProcess(name, home, httpPort, busPort, log, builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", builder.command()), e);
    }
    OPEN.add(server);
    try {
      server.awaitHealthy();
    } catch (RuntimeException | AssertionError e) {
      server.close();
      throw e;
    }
    return server;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + httpPort);
  }

  int port() {
    return httpPort;
  }

  /** The port of the embedded broker that workers connect to. */
  int busPort() {
    return busPort;
  }

  Path home() {
    return home;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  private void awaitHealthy() {
    Poll.until(
        name + " /health UP (log " + log + ")",
        STARTUP,
        () -> {
          if (!process.isAlive()) {
            throw new AssertionError(
                name + " exited with code " + process.exitValue() + " while starting" + logTail());
          }
          return health();
        },
        "UP"::equals);
  }

  /** The status /health reports, or why there is none yet. */
  String health() {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(url().resolve("/health"))
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      return body.path("status").asText("HTTP " + response.statusCode());
    } catch (IOException e) {
      return "unreachable: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /**
   * SIGTERM ({@link Process#destroy()}) and waits.
   *
   * @return whether the process ended within {@code timeout}
   */
  boolean stop(Duration timeout) {
    process.destroy();
    boolean exited = waitFor(timeout);
    if (!exited) {
      threadDump();
    }
    return exited;
  }

  /**
   * SIGKILL, like a crash: nothing in the conductor gets to run, so its postgres stays up. The
   * conductor is the server JVM that the {@code conductor server} command runs as its child.
   */
  void kill() {
    abandoned.addAll(process.descendants().toList());
    List<ProcessHandle> servers = process.children().toList();
    servers.forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    if (!waitFor(KILL)) {
      throw new AssertionError(name + " pid " + process.pid() + " survived SIGKILL");
    }
    for (ProcessHandle server : servers) {
      try {
        server.onExit().get(KILL.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError(name + " server pid " + server.pid() + " survived SIGKILL", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
  }

  /**
   * SIGKILL of the {@code conductor server} CLI alone, which no hook survives; returns the server
   * JVM it ran as its child, left to stop by itself.
   */
  List<ProcessHandle> killCliOnly() {
    List<ProcessHandle> servers = process.children().toList();
    process.destroyForcibly();
    if (!waitFor(KILL)) {
      throw new AssertionError(name + " pid " + process.pid() + " survived SIGKILL");
    }
    return servers;
  }

  private boolean waitFor(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Where {@link #stop} leaves a thread dump when the server does not stop in time. */
  Path threadDumpFile() {
    return log.resolveSibling(name + "-threads.txt");
  }

  private void threadDump() {
    Path dump = threadDumpFile();
    Path jcmd = Path.of(E2e.java()).resolveSibling("jcmd");
    try {
      Process jcmdProcess =
          new ProcessBuilder(jcmd.toString(), Long.toString(serverPid()), "Thread.print")
              .redirectErrorStream(true)
              .redirectOutput(dump.toFile())
              .start();
      if (!jcmdProcess.waitFor(30, TimeUnit.SECONDS)) {
        jcmdProcess.destroyForcibly();
      }
    } catch (IOException e) {
      System.err.println("no thread dump of " + name + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The server JVM that {@code conductor server} runs as its child, else the command itself. */
  private long serverPid() {
    return process.children().findFirst().map(ProcessHandle::pid).orElse(process.pid());
  }

  /** The end of the server's output, for failure messages. */
  String logTail() {
    return logTail(80);
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
      List<String> tail = all.subList(Math.max(0, all.size() - lines), all.size());
      return "\n--- last "
          + tail.size()
          + " lines of "
          + log
          + " ---\n"
          + String.join("\n", tail)
          + "\n--- end of "
          + name
          + " log ---";
    } catch (IOException e) {
      return "\n(no log at " + log + ": " + e + ")";
    }
  }

  /**
   * Makes sure nothing of this server is left: a graceful stop if it still runs, then SIGKILL, its
   * child processes, and the embedded postgres of its home. Safe to call more than once.
   */
  @Override
  public void close() {
    if (!OPEN.remove(this)) {
      return;
    }
    if (process.isAlive()) {
      abandoned.addAll(process.descendants().toList());
      if (!stop(GRACEFUL_STOP)) {
        System.err.println(
            name + " ignored SIGTERM for " + GRACEFUL_STOP.toSeconds() + "s; killing it");
        process.destroyForcibly();
        waitFor(KILL);
      }
    }
    abandoned.forEach(ProcessHandle::destroyForcibly);
    Postmaster.stopLeftover(home);
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ", " + url() + ", home " + home + ")";
  }
}
