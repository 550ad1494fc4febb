package dev.conductor.worker;

import static dev.conductor.messaging.protocol.MessageType.STARTED;
import static dev.conductor.messaging.protocol.MessageType.SUCCEEDED;
import static dev.conductor.worker.WorkerTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.messaging.protocol.Envelope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker as a real child process, the way the conductor's process runtime starts it: the
 * handshake, a job, and SIGTERM while the job runs. Started from this test's class path here;
 * {@link ShadedWorkerJarIT} runs the same scenario from the shaded jar.
 */
class WorkerProcessTest {
  /** The flags the conductor's process runtime starts workers with. */
  static final List<String> JVM_FLAGS =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xss512k", "-XX:-UsePerfData");

  @TempDir static Path data;
  private static EmbeddedArtemis broker;
  private TestConductor conductor;

  /** The command line after {@code java} and its flags, ending in the main class or jar. */
  List<String> launch() {
    return List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName());
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

    long launched = System.nanoTime();
    Process worker = launch(workerId, log);
    try {
      conductor.control.awaitReady(workerId);
      System.out.printf(
          "worker process start to ready: %d ms (%s)%n",
          (System.nanoTime() - launched) / 1_000_000, getClass().getSimpleName());
      String jobId = conductor.sendJob(workerId, "sleep", json("{\"ms\": 1500}"));
      conductor.control.awaitReport(STARTED, jobId);

      worker.destroy();

      Envelope succeeded = conductor.control.awaitReport(SUCCEEDED, jobId);
      assertThat(succeeded.result()).isEqualTo(json("{\"sleptMs\": 1500}"));
      Envelope stopped = conductor.control.awaitStopped(workerId);
      assertThat(conductor.control.indexOf(succeeded))
          .isLessThan(conductor.control.indexOf(stopped));
      assertThat(worker.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(worker.exitValue()).isZero();
      // SIGTERM came while the job ran, so this was a drain and not an idle stop.
      assertThat(Files.readString(log)).contains("draining workerId=" + workerId + " inFlight=1");
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

  private Process launch(String workerId, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(java()));
    command.addAll(JVM_FLAGS);
    command.addAll(launch());
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().putAll(conductor.environment(workerId));
    return builder.start();
  }

  private static void printLog(Path log) throws IOException {
    System.out.println("--- worker process output ---");
    System.out.print(Files.readString(log));
    System.out.println("--- end of worker process output ---");
  }
}
