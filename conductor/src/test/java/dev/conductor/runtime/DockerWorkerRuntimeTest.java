package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Frame;
import dev.conductor.home.ConductorHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The docker runtime against the contract on the real engine and the real worker image (its
 * entrypoint replaced by a shell stand-in that needs no bus), plus what only containers promise:
 * labels, limits, the bus password kept out of {@code docker inspect}, exit reasons, a clear
 * failure for an absent image, and no container left behind. Skips at once without an engine or the
 * image.
 */
@ExtendWith(WorkerImage.class)
class DockerWorkerRuntimeTest extends WorkerRuntimeContract {
  private static final String IMAGE = WorkerImage.IMAGE;
  private static final long MEMORY = 256L * 1024 * 1024;

  private static DockerClient docker;

  @TempDir Path temp;
  private ConductorHome home;
  private DockerWorkerRuntime runtime;
  private final List<ConductorHome> homes = new ArrayList<>();
  private final List<DockerWorkerRuntime> runtimes = new ArrayList<>();
  private final Map<WorkerRuntime, Path> homeOf = new IdentityHashMap<>();

  @BeforeAll
  static void connect() {
    docker = DockerEngine.connect(DockerEngine.hostOf(null));
  }

  @AfterAll
  static void closeClient() throws IOException {
    if (docker != null) {
      docker.close();
    }
  }

  @BeforeEach
  void openHome() {
    home = open(temp.resolve("home"));
    runtime = runtimeOf(home, IMAGE);
  }

  @AfterEach
  void noContainerOfTheseHomesIsLeft() {
    // The backstop a closing conductor runs, then the engine's own word that nothing is left.
    runtimes.forEach(DockerWorkerRuntime::close);
    for (Path root : homeOf.values()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(() -> assertThat(containersOf(root)).isEmpty());
    }
    homes.forEach(ConductorHome::close);
  }

  @Test
  void aWorkerIsAContainerNamedForItsGuidLabelledAndLimited() {
    UUID id = UUID.randomUUID();
    WorkerLaunch launch = standIn(id, "proxy-eu", 7, Map.of(), "", 600, false);

    String ref = runtime.start(launch);

    InspectContainerResponse container = docker.inspectContainerCmd(ref).exec();
    assertThat(container.getName()).isEqualTo("/worker-" + id);
    assertThat(container.getConfig().getLabels())
        .containsEntry(DockerWorkerRuntime.HOME_LABEL, home.root().toString())
        .containsEntry(DockerWorkerRuntime.WORKER_LABEL, id.toString())
        .containsEntry(DockerWorkerRuntime.TENANT_LABEL, "tenant-a")
        .containsEntry(DockerWorkerRuntime.AFFINITY_KEY_LABEL, "proxy-eu")
        .containsEntry(DockerWorkerRuntime.GENERATION_LABEL, "7");
    assertThat(container.getHostConfig().getMemory()).isEqualTo(MEMORY);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(container.getHostConfig().getNetworkMode()).isEqualTo("host");
    assertThat(container.getConfig().getUser()).isEqualTo("65532:65532");
  }

  @Test
  void theBusPasswordIsAFileTheWorkerReadsAndNeverInInspect() throws Exception {
    UUID id = UUID.randomUUID();
    String password = "pw-" + UUID.randomUUID();
    WorkerLaunch launch =
        standIn(
            id,
            "",
            1,
            Map.of("CONDUCTOR_BUS_PASSWORD", password, "CONDUCTOR_BUS_USER", "worker"),
            "cat \"$CONDUCTOR_BUS_PASSWORD_FILE\"; echo; ls -l \"$CONDUCTOR_BUS_PASSWORD_FILE\"; ",
            600,
            false);

    String ref = runtime.start(launch);
    awaitUp(runtime, id);

    assertThat(logsOf(id)).contains(password).contains("-r--r--r--");
    String inspected =
        new ObjectMapper().writeValueAsString(docker.inspectContainerCmd(ref).exec());
    assertThat(inspected).contains("CONDUCTOR_BUS_USER=worker").doesNotContain(password);
  }

  @Test
  void aContainerThatFailsIsSeenToEndWithItsExitCodeAndIsRemoved() throws Exception {
    UUID id = UUID.randomUUID();
    String ref =
        runtime.start(
            new WorkerLaunch(id, "tenant-a", IMAGE, List.of("sh", "-c", "exit 3"), Map.of()));

    Object exit = runtime.onExit(ref).get(60, TimeUnit.SECONDS);

    assertThat(exit).isEqualTo(new WorkerExit(3, false));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(containersOf(home.root())).isEmpty());
  }

  @Test
  void aContainerOverItsMemoryIsOomKilledAndSaysSo() throws Exception {
    UUID id = UUID.randomUUID();
    // tail buffers /dev/zero, one endless line, until the memory limit stops it.
    String ref =
        runtime.start(
            new WorkerLaunch(
                id, "tenant-a", IMAGE, List.of("sh", "-c", "tail /dev/zero"), Map.of()));

    Object exit = runtime.onExit(ref).get(60, TimeUnit.SECONDS);

    assertThat(exit).isEqualTo(new WorkerExit(137, true));
    assertThat(exit).hasToString("exit code 137, OOMKilled");
  }

  @Test
  void aWorkersOutputIsKeptInItsLogUnderTheHomeOwnerOnlyWhenItsContainerGoes() throws Exception {
    UUID id = UUID.randomUUID();
    String ref =
        runtime.start(
            new WorkerLaunch(
                id, "tenant-a", IMAGE, List.of("sh", "-c", "echo said-before-exit"), Map.of()));

    runtime.onExit(ref).get(60, TimeUnit.SECONDS);

    Path log = home.root().resolve("workers").resolve(id + ".log");
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(containersOf(home.root())).isEmpty());
    assertThat(Files.readString(log)).contains("said-before-exit");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log)))
        .isEqualTo("rw-------");
  }

  @Test
  void anAbsentImageFailsTheStartAtOnceWithTheReason() {
    DockerWorkerRuntime absent = runtimeOf(open(temp.resolve("absent")), "conductor-absent:never");
    // A launch (plan) naming no image: the runtime's own, absent here.
    WorkerLaunch ownImage =
        new WorkerLaunch(UUID.randomUUID(), "tenant-a", null, List.of("true"), Map.of());
    // A plan's image absent from the engine fails the same way.
    WorkerLaunch plansImage =
        new WorkerLaunch(
            UUID.randomUUID(), "tenant-a", "conductor-absent:plan", List.of("true"), Map.of());

    assertThatThrownBy(() -> absent.start(ownImage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("worker image conductor-absent:never is not in the Docker engine");
    assertThatThrownBy(() -> runtime.start(plansImage))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("worker image conductor-absent:plan is not in the Docker engine");
  }

  @Test
  void aPlansImageAndLimitsWinOverTheRuntimesOwn() {
    DockerWorkerRuntime elsewhere =
        runtimeOf(open(temp.resolve("plan")), "conductor-absent:runtime-default");
    UUID id = UUID.randomUUID();
    WorkerLaunch launch =
        new WorkerLaunch(
            id,
            "tenant-a",
            IMAGE,
            List.of("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait $!"),
            Map.of(),
            "",
            0,
            new WorkerLimits(0.25, 320L * 1024 * 1024));

    String ref = elsewhere.start(launch);

    InspectContainerResponse container = docker.inspectContainerCmd(ref).exec();
    assertThat(container.getConfig().getImage()).isEqualTo(IMAGE);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(250_000_000L);
    assertThat(container.getHostConfig().getMemory()).isEqualTo(320L * 1024 * 1024);
    assertThat(container.getHostConfig().getMemorySwap()).isEqualTo(320L * 1024 * 1024);
  }

  @Test
  void aCommandTheImageLacksFailsTheStartWithTheEnginesReason() {
    UUID id = UUID.randomUUID();
    WorkerLaunch launch =
        new WorkerLaunch(id, "tenant-a", IMAGE, List.of("/no/such/worker"), Map.of());

    assertThatThrownBy(() -> runtime.start(launch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("/no/such/worker");
  }

  @Override
  protected WorkerRuntime runtime() {
    return runtime;
  }

  @Override
  protected WorkerRuntime restarted() {
    // A new conductor on the same home: its containers ran on without it.
    home.close();
    home = open(home.root());
    return runtimeOf(home, IMAGE);
  }

  @Override
  protected WorkerRuntime otherConductor() {
    return runtimeOf(open(temp.resolve("other-home")), IMAGE);
  }

  @Override
  protected WorkerLaunch launch(
      WorkerRuntime runtime, UUID workerId, Duration lifetime, boolean ignoresStop) {
    return standIn(workerId, "", 0, Map.of(), "", Math.max(1, lifetime.toSeconds()), ignoresStop);
  }

  @Override
  protected void awaitUp(WorkerRuntime runtime, UUID workerId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> logsOf(workerId).contains("sleeping"));
  }

  /**
   * The real image with a shell in place of the worker: it runs {@code before}, says "sleeping",
   * then sleeps in the background so that, as PID 1, it still ends at SIGTERM unless it ignores it.
   */
  private static WorkerLaunch standIn(
      UUID id,
      String affinityKey,
      long generation,
      Map<String, String> environment,
      String before,
      long sleepSeconds,
      boolean ignoresStop) {
    String shell =
        (ignoresStop ? "trap '' TERM; " : "trap 'exit 0' TERM; ")
            + before
            + "echo sleeping; sleep "
            + sleepSeconds
            + " & wait $!";
    return new WorkerLaunch(
        id, "tenant-a", IMAGE, List.of("sh", "-c", shell), environment, affinityKey, generation);
  }

  private static String logsOf(UUID workerId) throws InterruptedException {
    StringBuilder out = new StringBuilder();
    try {
      docker
          .logContainerCmd("worker-" + workerId)
          .withStdOut(true)
          .withStdErr(true)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  out.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(10, TimeUnit.SECONDS);
    } catch (com.github.dockerjava.api.exception.NotFoundException e) {
      return "";
    }
    return out.toString();
  }

  private static List<String> containersOf(Path root) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerWorkerRuntime.HOME_LABEL, root.toString()))
        .exec()
        .stream()
        .map(c -> c.getId() + " " + c.getState())
        .toList();
  }

  private ConductorHome open(Path root) {
    ConductorHome opened = ConductorHome.open(root);
    homes.add(opened);
    return opened;
  }

  private DockerWorkerRuntime runtimeOf(ConductorHome conductorHome, String image) {
    DockerWorkerRuntime created =
        new DockerWorkerRuntime(
            conductorHome,
            new DockerRuntimeSettings(null, image, "host", null, 0.5, MEMORY, true),
            List.of(),
            Executors.newCachedThreadPool());
    runtimes.add(created);
    homeOf.put(created, conductorHome.root());
    return created;
  }
}
