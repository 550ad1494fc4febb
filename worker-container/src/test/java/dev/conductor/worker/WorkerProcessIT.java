package dev.conductor.worker;

import static dev.conductor.messaging.protocol.MessageType.STARTED;
import static dev.conductor.messaging.protocol.MessageType.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a real child process, the way the conductor's process runtime starts it: the
 * handshake, a job, and SIGTERM while the job runs. Started from this test's class path here;
 * {@link ShadedWorkerJarIT} runs the same scenario from the shaded jar. The job that runs through
 * SIGTERM is an {@link AwaitFileHandler} from a handler jar added to the worker's class path.
 */
class WorkerProcessIT {
  /** The flags the conductor's process runtime starts workers with. */
  static final List<String> JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData");

  @TempDir static Path data;
  private static EmbeddedArtemis broker;
  private TestConductor conductor;

  /**
   * The command line after {@code java} and its flags, ending in the main class or jar: the worker
   * with its built-in handlers and those in {@code handlerJars}.
   */
  List<String> launch(List<Path> handlerJars) {
    return List.of(
        "-cp",
        classPath(System.getProperty("java.class.path"), handlerJars),
        WorkerMain.class.getName());
  }

  static String classPath(String worker, List<Path> handlerJars) {
    List<String> entries = new ArrayList<>(List.of(worker));
    handlerJars.forEach(jar -> entries.add(jar.toString()));
    return String.join(File.pathSeparator, entries);
  }

  static String java() {
    return ProcessHandle.current().info().command().orElseThrow();
  }

  @BeforeAll
  static void startBroker() {
    broker =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(
                data, "127.0.0.1", 0, false, TestConductor.USER, TestConductor.PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @BeforeEach
  void startConductor() {
    conductor = new TestConductor(broker);
  }

  @AfterEach
  void stopConductor() {
    conductor.close();
  }

  @Test
  void runsAJobAndOnSigtermFinishesItReportsStoppedAndExitsZero() throws Exception {
    String workerId = conductor.newWorker();
    Path log = Files.createTempFile(data, "worker-", ".log");
    // The job runs until this file exists: still in flight when SIGTERM comes, however slow the
    // machine, and done only once the test has seen the drain begin.
    Path finish = data.resolve("finish-" + workerId);

    long launched = System.nanoTime();
    Process worker =
        launch(
            workerId,
            log,
            List.of(AwaitFileHandler.jar(data)),
            // Ample grace: the job must be let finish, not interrupted, however slow the machine.
            Map.of(WorkerSettings.SHUTDOWN_GRACE, "5m"));
    try {
      conductor.control.awaitReady(workerId);
      System.out.printf(
          "worker process start to ready: %d ms (%s)%n",
          (System.nanoTime() - launched) / 1_000_000, getClass().getSimpleName());
      JsonNode payload = WireFormat.json().createObjectNode().put("path", finish.toString());
      String jobId = conductor.sendJob(workerId, AwaitFileHandler.TYPE, payload);
      conductor.control.awaitReport(STARTED, jobId);

      worker.destroy();

      // SIGTERM came while the job ran, so this is a drain and not an idle stop.
      awaitLogLine(log, "draining workerId=" + workerId + " inFlight=1");
      assertThat(worker.isAlive()).isTrue();
      assertThat(conductor.control.reportsOf(jobId))
          .extracting(Envelope::type)
          .containsExactly(STARTED);
      Files.createFile(finish);

      Envelope succeeded = conductor.control.awaitReport(SUCCEEDED, jobId);
      assertThat(succeeded.result()).isEqualTo(payload);
      Envelope stopped = conductor.control.awaitStopped(workerId);
      assertThat(conductor.control.indexOf(succeeded))
          .isLessThan(conductor.control.indexOf(stopped));
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isZero();
    } finally {
      worker.destroyForcibly();
      printLog(log);
    }
  }

  @Test
  void exitsZeroAfterAShutdownMessage() throws Exception {
    String workerId = conductor.newWorker();
    Path log = Files.createTempFile(data, "worker-", ".log");
    Process worker = launch(workerId, log);
    try {
      conductor.control.awaitReady(workerId);

      conductor.sendShutdown(workerId, 5_000);

      conductor.control.awaitStopped(workerId);
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isZero();
    } finally {
      worker.destroyForcibly();
      printLog(log);
    }
  }

  @Test
  void conductorLogFormatJsonGivesOneJsonObjectPerLineWithTheJobsTraceIds() throws Exception {
    List<String> lines = runTracedJob("json");

    ObjectMapper json = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : lines) {
      events.add(json.readTree(line));
    }
    assertThat(events)
        .isNotEmpty()
        .allSatisfy(
            event ->
                assertThat(event.fieldNames())
                    .toIterable()
                    .contains("time", "level", "logger", "thread", "message"));
    assertThat(events)
        .filteredOn(event -> event.get("message").asText().startsWith("job started"))
        .singleElement()
        .satisfies(
            started -> {
              assertThat(started.get("trace_id").asText()).isEqualTo(TRACE_ID);
              assertThat(started.get("span_id").asText()).hasSize(16).isNotEqualTo(PARENT_SPAN);
            });
    assertThat(events)
        .filteredOn(event -> event.get("message").asText().startsWith("ready workerId="))
        .singleElement()
        .satisfies(ready -> assertThat(ready.has("trace_id")).isFalse());
  }

  @Test
  void textLinesOfATracedJobEndInItsTraceIds() throws Exception {
    List<String> lines = runTracedJob("text");

    assertThat(lines)
        .filteredOn(line -> line.contains(" - job started "))
        .singleElement()
        .asString()
        .containsPattern(" trace_id=" + TRACE_ID + " span_id=[0-9a-f]{16}$");
  }

  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_SPAN = "00f067aa0ba902b7";

  /**
   * The worker's output lines for one job in a trace, with tracing on (spans go to a stand-in OTLP
   * endpoint that accepts them) and {@code CONDUCTOR_LOG_FORMAT=format}; the worker then shuts
   * down.
   */
  private List<String> runTracedJob(String format) throws Exception {
    HttpServer otlp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    otlp.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    otlp.start();
    String workerId = conductor.newWorker();
    Path log = Files.createTempFile(data, "worker-", ".log");
    Process worker =
        launch(
            workerId,
            log,
            List.of(),
            Map.of(
                "CONDUCTOR_LOG_FORMAT",
                format,
                WorkerTracing.OTLP_ENDPOINT,
                "http://127.0.0.1:" + otlp.getAddress().getPort()));
    try {
      conductor.control.awaitReady(workerId);
      JsonNode payload = WireFormat.json().createObjectNode().put("n", 1);
      String jobId =
          conductor.sendJob(
              workerId, "echo", payload, 0, "00-" + TRACE_ID + "-" + PARENT_SPAN + "-01");
      conductor.control.awaitReport(SUCCEEDED, jobId);
      conductor.sendShutdown(workerId, 5_000);
      conductor.control.awaitStopped(workerId);
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return Files.readAllLines(log).stream().filter(line -> !line.isBlank()).toList();
    } finally {
      worker.destroyForcibly();
      otlp.stop(0);
      printLog(log);
    }
  }

  private Process launch(String workerId, Path log) throws IOException {
    return launch(workerId, log, List.of(), Map.of());
  }

  private Process launch(
      String workerId, Path log, List<Path> handlerJars, Map<String, String> overrides)
      throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(JVM_FLAGS);
    command.addAll(launch(handlerJars));
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(conductor.environment(workerId));
    builder.environment().putAll(overrides);
    return builder.start();
  }

  /** Waits, within the tests' usual patience, until the worker's output holds {@code line}. */
  private static void awaitLogLine(Path log, String line) {
    Awaitility.await("worker output with '" + line + "'")
        .atMost(ControlMessages.PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        // Decoded leniently: the worker may be half-way through writing a character.
        .until(() -> new String(Files.readAllBytes(log), StandardCharsets.UTF_8).contains(line));
  }

  private static void printLog(Path log) throws IOException {
    System.out.println("--- worker process output ---");
    System.out.print(Files.readString(log));
    System.out.println("--- end of worker process output ---");
  }
}
