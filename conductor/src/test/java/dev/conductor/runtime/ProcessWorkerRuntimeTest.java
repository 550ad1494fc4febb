package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.home.ConductorHome;
import dev.conductor.testing.Sleeper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process runtime against the contract, with {@link Sleeper} JVMs as stand-in workers: a custom
 * java command, which the runtime tags like the built-in worker, so a restarted conductor finds
 * them by their command line.
 */
class ProcessWorkerRuntimeTest extends WorkerRuntimeContract {
  private static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

  @TempDir Path temp;
  private ConductorHome home;
  private ProcessWorkerRuntime runtime;
  private final List<ConductorHome> homes = new ArrayList<>();
  private final List<ProcessWorkerRuntime> runtimes = new ArrayList<>();
  private final Map<WorkerRuntime, Path> homeOf = new IdentityHashMap<>();

  @BeforeEach
  void openHome() {
    home = open(temp.resolve("home"));
    runtime = runtimeOf(home);
  }

  @AfterEach
  void stopWorkersAndCloseHomes() {
    // The backstop a closing conductor runs: nothing these tests started outlives them.
    runtimes.forEach(ProcessWorkerRuntime::stopAll);
    homes.forEach(ConductorHome::close);
  }

  @Test
  void aWorkersOutputGoesToItsLogInTheHomeReadableByTheConductorsUserAlone() throws Exception {
    UUID workerId = UUID.randomUUID();
    String ref = runtime.start(launch(runtime, workerId, Duration.ofMinutes(1), false));
    awaitUp(runtime, workerId);
    runtime.stop(ref, Duration.ofSeconds(5));

    Path logs = home.root().resolve("workers");
    Path log = logs.resolve(workerId + ".log");
    assertThat(Files.readString(log)).contains("sleeping");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(logs)))
        .isEqualTo("rwx------");
  }

  @Test
  void aCustomJavaCommandCarriesTheTagsARestartedConductorFindsItBy() {
    UUID workerId = UUID.randomUUID();
    String ref =
        runtime.start(launch(workerId, List.of(JAVA, "-Xmx32m", Sleeper.class.getName(), "60000")));
    awaitUp(runtime, workerId);

    List<String> arguments =
        List.of(
            ProcessHandle.of(Long.parseLong(ref)).orElseThrow().info().arguments().orElseThrow());
    assertThat(arguments)
        .containsExactly(
            ProcessWorkerRuntime.WORKER_TAG + workerId,
            ProcessWorkerRuntime.HOME_TAG + home.root(),
            "-Xmx32m",
            Sleeper.class.getName(),
            "60000");
    assertThat(restarted().list()).containsEntry(workerId, ref);
  }

  @Test
  void anotherProgramGetsItsArgumentsUnchanged() throws Exception {
    UUID workerId = UUID.randomUUID();
    runtime.start(
        launch(workerId, List.of("/bin/sh", "-c", "echo \"arguments: $*\"", "sh", "one", "two")));

    Path log = home.root().resolve("workers").resolve(workerId + ".log");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> Files.exists(log) && Files.readString(log).contains("arguments:"));
    assertThat(Files.readString(log)).contains("arguments: one two\n");
  }

  @Override
  protected WorkerRuntime runtime() {
    return runtime;
  }

  @Override
  protected WorkerRuntime restarted() {
    // A new conductor process on the same home: the old one let go of its lock, not its workers.
    home.close();
    home = open(home.root());
    return runtimeOf(home);
  }

  @Override
  protected WorkerRuntime otherConductor() {
    return runtimeOf(open(temp.resolve("other-home")));
  }

  @Override
  protected WorkerLaunch launch(
      WorkerRuntime runtime, UUID workerId, Duration lifetime, boolean ignoresStop) {
    List<String> command =
        new ArrayList<>(
            List.of(JAVA, "-Xmx32m", Sleeper.class.getName(), Long.toString(lifetime.toMillis())));
    if (ignoresStop) {
      command.add("ignore-sigterm");
    }
    return launch(workerId, command);
  }

  private static WorkerLaunch launch(UUID workerId, List<String> command) {
    return new WorkerLaunch(
        workerId,
        "contract",
        "",
        command,
        // Through the environment, as for real workers: a long command line is cut when read back.
        Map.of("CLASSPATH", System.getProperty("java.class.path")));
  }

  @Override
  protected void awaitUp(WorkerRuntime runtime, UUID workerId) {
    Path log = homeOf.get(runtime).resolve("workers").resolve(workerId + ".log");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> Files.readString(log).contains("sleeping"));
  }

  private ConductorHome open(Path root) {
    ConductorHome opened = ConductorHome.open(root);
    homes.add(opened);
    return opened;
  }

  private ProcessWorkerRuntime runtimeOf(ConductorHome conductorHome) {
    ProcessWorkerRuntime created =
        new ProcessWorkerRuntime(
            conductorHome, new ProcessRuntimeSettings(null, null, true), "artemis");
    runtimes.add(created);
    homeOf.put(created, conductorHome.root());
    return created;
  }
}
