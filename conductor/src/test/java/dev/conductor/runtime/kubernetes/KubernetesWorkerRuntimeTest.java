package dev.conductor.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerLimits;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimeContract;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kubernetes runtime against fabric8's mock API server in CRUD mode, which stands in for a
 * cluster here (none is reachable): the contract, plus the pod spec (labels, the template of
 * configuration, the bus password as a Secret file and nowhere in the pod) and exits as a cluster
 * reports them. The mock stores and watches objects but runs no pod: a stand-in kubelet in this
 * test drives the phases by writing pod status (Running, then Succeeded when a stand-in's lifetime
 * is over), and the exit tests write Failed, OOMKilled, Evicted or ImagePullBackOff themselves. The
 * mock deletes a pod at once, whatever the grace: the grace itself is the kubelet's, proved only on
 * a real cluster ({@code KubernetesRuntimeIT}).
 */
@EnableKubernetesMockClient(crud = true)
@DisplayName("KubernetesWorkerRuntime on fabric8's mock API server standing in for a cluster")
class KubernetesWorkerRuntimeTest extends WorkerRuntimeContract {
  private static final String NAMESPACE = "conductor-workers";
  private static final Duration RUNS_UNTIL_STOPPED = Duration.ofMinutes(10);

  static KubernetesClient client;
  static KubernetesMockServer server;

  @TempDir Path temp;
  private ConductorHome home;
  private KubernetesWorkerRuntime runtime;
  private final List<ConductorHome> homes = new ArrayList<>();
  private final List<KubernetesWorkerRuntime> runtimes = new ArrayList<>();
  private final Map<WorkerRuntime, Path> homeOf = new IdentityHashMap<>();
  // The stand-in kubelet: each stand-in's lifetime, and the status writes it schedules.
  private final Map<String, Duration> lifetimes = new ConcurrentHashMap<>();
  private final ScheduledExecutorService kubelet = Executors.newSingleThreadScheduledExecutor();
  private Watch kubeletWatch;

  @BeforeEach
  void openHomeAndStartTheStandInKubelet() {
    home = open(temp.resolve("home"));
    runtime = runtimeOf(home, settings());
    kubeletWatch =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .watch(
                new Watcher<>() {
                  @Override
                  public void eventReceived(Action action, Pod pod) {
                    Duration lifetime = lifetimes.remove(pod.getMetadata().getName());
                    if (action == Action.ADDED && lifetime != null) {
                      kubelet.execute(() -> run(pod.getMetadata().getName(), lifetime));
                    }
                  }

                  @Override
                  public void onClose(WatcherException cause) {}
                });
  }

  @AfterEach
  void noPodOfTheseHomesIsLeft() {
    // The backstop a closing conductor runs, then the API server's word that nothing is left.
    runtimes.forEach(KubernetesWorkerRuntime::close);
    for (Path root : homeOf.values()) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                assertThat(podsOf(root)).as("pods").isEmpty();
                assertThat(secretsOf(root)).as("secrets").isEmpty();
              });
    }
    kubeletWatch.close();
    kubelet.shutdownNow();
    homes.forEach(ConductorHome::close);
  }

  /**
   * {@code conductor workers logs} of a running pod: its container's log from the API server (the
   * mock serves pods, not their logs, so the log answer is an expectation of the API's own path).
   */
  @Test
  void aRunningPodsLogIsReadFromTheApiServerAndAnotherHomesIsNot() {
    UUID id = UUID.randomUUID();
    String ref =
        runtime.start(new WorkerLaunch(id, "tenant-a", null, List.of("sleep", "600"), Map.of()));
    server
        .expect()
        .get()
        .withPath(
            "/api/v1/namespaces/"
                + NAMESPACE
                + "/pods/"
                + ref
                + "/log?pretty=false&container="
                + WorkerPodTemplate.CONTAINER
                + "&tailLines=2")
        .andReturn(200, "ready\njob started\n")
        .once();

    assertThat(runtime.runningLog(ref, 2)).contains("ready\njob started\n");
    KubernetesWorkerRuntime other = runtimeOf(open(temp.resolve("other")), settings());
    assertThat(other.runningLog(ref, 2)).as("not its pod").isEmpty();
    assertThat(runtime.runningLog("worker-" + UUID.randomUUID(), 2)).as("no such pod").isEmpty();
    runtime.stop(ref, Duration.ofSeconds(1));
  }

  @Test
  void aWorkerIsAPodNamedForItsGuidLabelledWithTheRawValuesAnnotated() {
    UUID id = UUID.randomUUID();
    WorkerLaunch launch =
        new WorkerLaunch(id, "tenant-a", null, List.of("sleep", "600"), Map.of(), "proxy eu/ä", 7);

    String ref = runtime.start(launch);

    Pod pod = pod(ref);
    assertThat(ref).isEqualTo("worker-" + id);
    assertThat(pod.getMetadata().getName()).isEqualTo("worker-" + id);
    assertThat(pod.getMetadata().getLabels())
        .containsEntry(PodLabels.WORKER, id.toString())
        .containsEntry(PodLabels.TENANT, "tenant-a")
        .containsEntry(PodLabels.GENERATION, "7")
        .containsEntry(PodLabels.HOME, PodLabels.value(home.root().toString()))
        .containsEntry(PodLabels.AFFINITY_KEY, PodLabels.value("proxy eu/ä"));
    // Label values Kubernetes accepts: the home (a path) and this affinity key are hashed.
    assertThat(pod.getMetadata().getLabels().values())
        .allMatch(value -> value.matches("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?"))
        .allMatch(value -> value.length() <= 63);
    assertThat(pod.getMetadata().getAnnotations())
        .containsEntry(PodLabels.HOME, home.root().toString())
        .containsEntry(PodLabels.AFFINITY_KEY, "proxy eu/ä")
        .containsEntry(PodLabels.TENANT, "tenant-a");
    assertThat(pod.getSpec().getRestartPolicy()).isEqualTo("Never");
    assertThat(pod.getSpec().getContainers().get(0).getCommand()).containsExactly("sleep", "600");
  }

  @Test
  void aPodFollowsThePodTemplateOfConfiguration() {
    KubernetesWorkerRuntime templated =
        runtimeOf(
            open(temp.resolve("templated")),
            new KubernetesRuntimeSettings(
                null,
                NAMESPACE,
                "registry.example/conductor-worker:1.2",
                "Always",
                "conductor-worker",
                "250m",
                "2",
                "256Mi",
                "1Gi",
                List.of("kubernetes.io/os=linux", "pool=workers"),
                List.of("dedicated=workers:NoSchedule", "spot:NoExecute"),
                List.of("registry-credentials"),
                "tcp://artemis.conductor.svc:61616",
                Duration.ofSeconds(45),
                null,
                "topology.kubernetes.io/region"));

    String ref =
        templated.start(
            standIn(UUID.randomUUID(), Map.of("CONDUCTOR_BUS_URL", "tcp://localhost:61616")));

    PodSpec spec = pod(ref).getSpec();
    assertThat(spec.getTerminationGracePeriodSeconds()).isEqualTo(45L);
    assertThat(spec.getContainers().get(0).getEnv())
        .contains(new EnvVar("CONDUCTOR_BUS_URL", "tcp://artemis.conductor.svc:61616", null));
    assertThat(spec.getServiceAccountName()).isEqualTo("conductor-worker");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
    assertThat(spec.getNodeSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of("kubernetes.io/os", "linux", "pool", "workers"));
    assertThat(spec.getTolerations())
        .containsExactly(
            new Toleration("NoSchedule", "dedicated", "Equal", null, "workers"),
            new Toleration("NoExecute", "spot", "Exists", null, null));
    assertThat(spec.getImagePullSecrets())
        .extracting(reference -> reference.getName())
        .containsExactly("registry-credentials");
    var container = spec.getContainers().get(0);
    assertThat(container.getImage()).isEqualTo("registry.example/conductor-worker:1.2");
    assertThat(container.getImagePullPolicy()).isEqualTo("Always");
    assertThat(container.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m"))
        .containsEntry("memory", new Quantity("256Mi"));
    assertThat(container.getResources().getLimits())
        .containsEntry("cpu", new Quantity("2"))
        .containsEntry("memory", new Quantity("1Gi"));
  }

  @Test
  void aLocatedWorkersPodIsSelectedToNodesOfItsLocationAndLabelledWithIt() {
    KubernetesRuntimeSettings base = settings();
    KubernetesWorkerRuntime regional =
        runtimeOf(
            open(temp.resolve("regional")),
            new KubernetesRuntimeSettings(
                base.context(),
                base.namespace(),
                base.image(),
                base.imagePullPolicy(),
                base.serviceAccount(),
                base.cpuRequest(),
                base.cpuLimit(),
                base.memoryRequest(),
                base.memoryLimit(),
                List.of("pool=workers"),
                null,
                null,
                null,
                base.gracePeriod(),
                List.of("eu-west-1", "us-east-1"),
                "topology.kubernetes.io/region"));
    UUID id = UUID.randomUUID();
    WorkerLaunch located =
        new WorkerLaunch(
            id,
            "tenant-a",
            null,
            List.of("sleep", "600"),
            Map.of(),
            "proxy",
            0,
            WorkerLimits.NONE,
            "eu-west-1");

    Pod pod = pod(regional.start(located));
    Pod anywhere = pod(regional.start(standIn(UUID.randomUUID(), Map.of())));

    assertThat(regional.locations()).containsExactlyInAnyOrder("eu-west-1", "us-east-1");
    assertThat(pod.getSpec().getNodeSelector())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("pool", "workers", "topology.kubernetes.io/region", "eu-west-1"));
    assertThat(pod.getMetadata().getLabels()).containsEntry(PodLabels.LOCATION, "eu-west-1");
    assertThat(anywhere.getSpec().getNodeSelector())
        .containsExactlyInAnyOrderEntriesOf(Map.of("pool", "workers"));
    assertThat(anywhere.getMetadata().getLabels()).doesNotContainKey(PodLabels.LOCATION);
    assertThat(runtime.locations()).isEmpty();
  }

  @Test
  void aQuantityKubernetesWouldRefuseFailsTheRuntimeAtOnce() {
    KubernetesRuntimeSettings bad =
        new KubernetesRuntimeSettings(
            null,
            NAMESPACE,
            "w",
            "IfNotPresent",
            null,
            "1",
            "1",
            "lots",
            "512Mi",
            null,
            null,
            null,
            null,
            Duration.ofSeconds(30),
            null,
            "topology.kubernetes.io/region");

    assertThatThrownBy(() -> runtimeOf(open(temp.resolve("bad")), bad))
        .hasMessageContaining(
            "conductor.runtime.kubernetes.memory-request 'lots' is not a quantity");
  }

  @Test
  void theBusPasswordIsATenantSecretMountedReadOnlyAndNowhereInThePod() {
    String password = "pw-" + UUID.randomUUID();
    Map<String, String> environment =
        Map.of("CONDUCTOR_BUS_PASSWORD", password, "CONDUCTOR_BUS_USER", "worker");

    String first = runtime.start(standIn(UUID.randomUUID(), environment));
    String second = runtime.start(standIn(UUID.randomUUID(), environment));

    Pod pod = pod(first);
    assertThat(Serialization.asJson(pod)).contains("CONDUCTOR_BUS_USER").doesNotContain(password);
    var container = pod.getSpec().getContainers().get(0);
    assertThat(container.getEnv())
        .contains(
            new EnvVar("CONDUCTOR_BUS_PASSWORD_FILE", "/run/secrets/conductor-bus/password", null))
        .extracting(EnvVar::getName)
        .doesNotContain("CONDUCTOR_BUS_PASSWORD");
    assertThat(container.getVolumeMounts())
        .singleElement()
        .satisfies(
            mount -> {
              assertThat(mount.getMountPath()).isEqualTo("/run/secrets/conductor-bus");
              assertThat(mount.getReadOnly()).isTrue();
            });
    var volume = pod.getSpec().getVolumes().get(0).getSecret();
    assertThat(volume.getDefaultMode()).isEqualTo(0444);
    // One Secret for the tenant, holding the password, labelled with this conductor and tenant.
    Secret secret = client.secrets().inNamespace(NAMESPACE).withName(volume.getSecretName()).get();
    assertThat(pod(second).getSpec().getVolumes().get(0).getSecret().getSecretName())
        .isEqualTo(secret.getMetadata().getName());
    assertThat(passwordIn(secret)).isEqualTo(password);
    assertThat(secret.getMetadata().getLabels())
        .containsEntry(PodLabels.HOME, PodLabels.value(home.root().toString()))
        .containsEntry(PodLabels.TENANT, "tenant-a");
  }

  @Test
  void theTenantsSecretGoesWithItsLastPodAndComesBackWithTheNext() {
    Map<String, String> environment = Map.of("CONDUCTOR_BUS_PASSWORD", "pw-1");
    String first = runtime.start(standIn(UUID.randomUUID(), environment));
    String second = runtime.start(standIn(UUID.randomUUID(), environment));
    String secret = pod(first).getSpec().getVolumes().get(0).getSecret().getSecretName();

    runtime.stop(first, Duration.ofSeconds(30));
    Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pod(first) == null);
    assertThat(client.secrets().inNamespace(NAMESPACE).withName(secret).get()).isNotNull();
    runtime.stop(second, Duration.ofSeconds(30));

    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> client.secrets().inNamespace(NAMESPACE).withName(secret).get() == null);
    runtime.start(standIn(UUID.randomUUID(), Map.of("CONDUCTOR_BUS_PASSWORD", "pw-2")));
    assertThat(passwordIn(client.secrets().inNamespace(NAMESPACE).withName(secret).get()))
        .isEqualTo("pw-2");
  }

  @Test
  void aChangedPasswordIsWrittenToTheTenantsSecret() {
    String first =
        runtime.start(standIn(UUID.randomUUID(), Map.of("CONDUCTOR_BUS_PASSWORD", "pw-old")));
    runtime.start(standIn(UUID.randomUUID(), Map.of("CONDUCTOR_BUS_PASSWORD", "pw-new")));

    String secret = pod(first).getSpec().getVolumes().get(0).getSecret().getSecretName();
    assertThat(passwordIn(client.secrets().inNamespace(NAMESPACE).withName(secret).get()))
        .isEqualTo("pw-new");
  }

  @Test
  void theConductorsLoopbackBusIsRefusedWithoutABusUrlForPods() {
    UUID id = UUID.randomUUID();
    WorkerLaunch launch = standIn(id, Map.of("CONDUCTOR_BUS_URL", "tcp://127.0.0.1:61616"));

    assertThatThrownBy(() -> runtime.start(launch))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("set conductor.runtime.kubernetes.bus-url");
    assertThat(pod("worker-" + id)).isNull();
  }

  @Test
  void aPodThatFailsIsSeenToEndWithItsExitCodeAndIsDeleted() throws Exception {
    String ref = runtime.start(standIn(UUID.randomUUID(), Map.of()));

    writeStatus(ref, terminated("Failed", 3, "Error"));

    assertThat(runtime.onExit(ref).get(60, TimeUnit.SECONDS)).isEqualTo(new WorkerExit(3, false));
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(() -> assertThat(podsOf(home.root())).isEmpty());
  }

  @Test
  void anOomKilledPodSaysSo() throws Exception {
    String ref = runtime.start(standIn(UUID.randomUUID(), Map.of()));

    writeStatus(ref, terminated("Failed", 137, "OOMKilled"));

    Object exit = runtime.onExit(ref).get(60, TimeUnit.SECONDS);
    assertThat(exit).isEqualTo(new WorkerExit(137, true));
    assertThat(exit).hasToString("exit code 137, OOMKilled");
  }

  @Test
  void anEvictedPodSaysWhy() throws Exception {
    String ref = runtime.start(standIn(UUID.randomUUID(), Map.of()));

    writeStatus(
        ref,
        new PodStatusBuilder()
            .withPhase("Failed")
            .withReason("Evicted")
            .withMessage("The node was low on resource: memory.")
            .build());

    assertThat(runtime.onExit(ref).get(60, TimeUnit.SECONDS))
        .hasToString("Evicted: The node was low on resource: memory.");
  }

  @Test
  void anImageThatCannotBePulledEndsTheWorkerWithTheReason() throws Exception {
    String ref = runtime.start(standIn(UUID.randomUUID(), Map.of()));

    writeStatus(
        ref,
        new PodStatusBuilder()
            .withPhase("Pending")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("worker")
                    .withNewState()
                    .withNewWaiting()
                    .withReason("ImagePullBackOff")
                    .withMessage("Back-off pulling image \"conductor-worker:absent\"")
                    .endWaiting()
                    .endState()
                    .build())
            .build());

    assertThat(runtime.onExit(ref).get(60, TimeUnit.SECONDS))
        .hasToString("ImagePullBackOff: Back-off pulling image \"conductor-worker:absent\"");
    assertThat(runtime.isRunning(ref)).isFalse();
  }

  @Test
  void aPodDeletedByAnotherHandEndsItsWorker() throws Exception {
    String ref = runtime.start(standIn(UUID.randomUUID(), Map.of()));

    client.pods().inNamespace(NAMESPACE).withName(ref).delete();

    assertThat(runtime.onExit(ref).get(60, TimeUnit.SECONDS)).hasToString("pod deleted");
  }

  @Test
  void podsWithoutThisHomesAnnotationAreNotOurs() {
    // A pod carrying our home label but another home: a hash collision, or a hand-made pod.
    Pod theirs =
        client
            .pods()
            .inNamespace(NAMESPACE)
            .resource(
                new PodBuilder()
                    .withNewMetadata()
                    .withName("worker-" + UUID.randomUUID())
                    .withLabels(
                        Map.of(
                            PodLabels.HOME,
                            PodLabels.value(home.root().toString()),
                            PodLabels.WORKER,
                            UUID.randomUUID().toString()))
                    .withAnnotations(Map.of(PodLabels.HOME, "/elsewhere"))
                    .endMetadata()
                    .build())
            .create();

    assertThat(runtime.list()).isEmpty();
    assertThat(runtime.isRunning(theirs.getMetadata().getName())).isFalse();
    client.pods().inNamespace(NAMESPACE).resource(theirs).delete();
  }

  @Override
  protected WorkerRuntime runtime() {
    return runtime;
  }

  @Override
  protected WorkerRuntime restarted() {
    // A new conductor on the same home: its pods ran on without it.
    home.close();
    home = open(home.root());
    return runtimeOf(home, settings());
  }

  @Override
  protected WorkerRuntime otherConductor() {
    return runtimeOf(open(temp.resolve("other-home")), settings());
  }

  @Override
  protected WorkerLaunch launch(
      WorkerRuntime runtime, UUID workerId, Duration lifetime, boolean ignoresStop) {
    lifetimes.put("worker-" + workerId, lifetime);
    return standIn(workerId, Map.of());
  }

  @Override
  protected void awaitUp(WorkerRuntime runtime, UUID workerId) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Pod pod = client.pods().inNamespace(NAMESPACE).withName("worker-" + workerId).get();
              return pod != null
                  && pod.getStatus() != null
                  && "Running".equals(pod.getStatus().getPhase());
            });
  }

  /** The stand-in kubelet: the pod runs, and ends by itself once its lifetime is over. */
  private void run(String name, Duration lifetime) {
    writeStatus(
        name,
        new PodStatusBuilder()
            .withPhase("Running")
            .withContainerStatuses(
                new ContainerStatusBuilder()
                    .withName("worker")
                    .withNewState()
                    .withNewRunning()
                    .endRunning()
                    .endState()
                    .build())
            .build());
    if (lifetime.compareTo(RUNS_UNTIL_STOPPED) < 0) {
      kubelet.schedule(
          () -> writeStatus(name, terminated("Succeeded", 0, "Completed")),
          lifetime.toMillis(),
          TimeUnit.MILLISECONDS);
    }
  }

  private static PodStatus terminated(String phase, int exitCode, String reason) {
    return new PodStatusBuilder()
        .withPhase(phase)
        .withContainerStatuses(
            new ContainerStatusBuilder()
                .withName("worker")
                .withNewState()
                .withNewTerminated()
                .withExitCode(exitCode)
                .withReason(reason)
                .endTerminated()
                .endState()
                .build())
        .build();
  }

  /** What a kubelet reports, written where it writes it: the pod's status subresource. */
  private static void writeStatus(String name, PodStatus status) {
    var pod = client.pods().inNamespace(NAMESPACE).withName(name);
    if (pod.get() != null) {
      pod.editStatus(p -> new PodBuilder(p).withStatus(status).build());
    }
  }

  private static String passwordIn(Secret secret) {
    return new String(
        Base64.getDecoder().decode(secret.getData().get("password")), StandardCharsets.UTF_8);
  }

  private static Pod pod(String name) {
    return client.pods().inNamespace(NAMESPACE).withName(name).get();
  }

  private static List<String> podsOf(Path root) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel(PodLabels.HOME, PodLabels.value(root.toString()))
        .list()
        .getItems()
        .stream()
        .map(p -> p.getMetadata().getName())
        .toList();
  }

  private static List<String> secretsOf(Path root) {
    return client
        .secrets()
        .inNamespace(NAMESPACE)
        .withLabel(PodLabels.HOME, PodLabels.value(root.toString()))
        .list()
        .getItems()
        .stream()
        .map(secret -> secret.getMetadata().getName())
        .toList();
  }

  private static WorkerLaunch standIn(UUID id, Map<String, String> environment) {
    return new WorkerLaunch(id, "tenant-a", null, List.of("sleep", "600"), environment, "", 0);
  }

  private static KubernetesRuntimeSettings settings() {
    return new KubernetesRuntimeSettings(
        null,
        NAMESPACE,
        "conductor-worker:latest",
        "IfNotPresent",
        null,
        "500m",
        "500m",
        "256Mi",
        "256Mi",
        null,
        null,
        null,
        null,
        Duration.ofSeconds(30),
        null,
        "topology.kubernetes.io/region");
  }

  private ConductorHome open(Path root) {
    ConductorHome opened = ConductorHome.open(root);
    homes.add(opened);
    return opened;
  }

  private KubernetesWorkerRuntime runtimeOf(
      ConductorHome conductorHome, KubernetesRuntimeSettings settings) {
    KubernetesWorkerRuntime created =
        new KubernetesWorkerRuntime(
            conductorHome,
            settings,
            Executors.newCachedThreadPool(),
            new KubernetesClientBuilder().withConfig(client.getConfiguration()).build());
    runtimes.add(created);
    homeOf.put(created, conductorHome.root());
    return created;
  }
}
