package dev.conductor.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimeContract;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: the contract on the real cluster of {@code KUBECONFIG} (skipped at once without it, as on
 * this machine, which reaches no cluster), where the kubelet really runs, stops and kills pods. The
 * stand-in is a shell in an image the cluster can pull: {@code CONDUCTOR_IT_KUBERNETES_IMAGE}
 * (default {@code busybox:1.36}), in {@code CONDUCTOR_IT_KUBERNETES_NAMESPACE} (default: the
 * context's). No pod or Secret of the test's homes is left after each test.
 */
@EnabledIfEnvironmentVariable(
    named = "KUBECONFIG",
    matches = ".+",
    disabledReason = "KUBECONFIG is not set: no Kubernetes cluster to run worker pods on")
class KubernetesRuntimeIT extends WorkerRuntimeContract {
  private static final String IMAGE =
      System.getenv().getOrDefault("CONDUCTOR_IT_KUBERNETES_IMAGE", "busybox:1.36");

  private static KubernetesClient client;
  private static String namespace;

  @TempDir Path temp;
  private ConductorHome home;
  private KubernetesWorkerRuntime runtime;
  private final List<ConductorHome> homes = new ArrayList<>();
  private final List<KubernetesWorkerRuntime> runtimes = new ArrayList<>();
  private final List<Path> roots = new ArrayList<>();

  @BeforeAll
  static void connect() {
    client = new KubernetesClientBuilder().build();
    String configured = System.getenv("CONDUCTOR_IT_KUBERNETES_NAMESPACE");
    namespace =
        configured != null && !configured.isBlank()
            ? configured
            : client.getNamespace() != null ? client.getNamespace() : "default";
  }

  @AfterAll
  static void disconnect() {
    if (client != null) {
      client.close();
    }
  }

  @BeforeEach
  void openHome() {
    home = open(temp.resolve("home"));
    runtime = runtimeOf(home);
  }

  @AfterEach
  void noPodOrSecretOfTheseHomesIsLeft() {
    runtimes.forEach(KubernetesWorkerRuntime::close);
    for (Path root : roots) {
      Awaitility.await()
          .atMost(Duration.ofMinutes(2))
          .untilAsserted(
              () -> {
                String selector = PodLabels.HOME + "=" + PodLabels.value(root.toString());
                assertThat(
                        client
                            .pods()
                            .inNamespace(namespace)
                            .withLabelSelector(selector)
                            .list()
                            .getItems())
                    .as("pods")
                    .isEmpty();
                assertThat(
                        client
                            .secrets()
                            .inNamespace(namespace)
                            .withLabelSelector(selector)
                            .list()
                            .getItems())
                    .as("secrets")
                    .isEmpty();
              });
    }
    homes.forEach(ConductorHome::close);
  }

  @Override
  protected WorkerRuntime runtime() {
    return runtime;
  }

  @Override
  protected WorkerRuntime restarted() {
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
    String shell =
        (ignoresStop ? "trap '' TERM; " : "trap 'exit 0' TERM; ")
            + "echo sleeping; sleep "
            + Math.max(1, lifetime.toSeconds())
            + " & wait $!";
    return new WorkerLaunch(
        workerId, "tenant-it", IMAGE, List.of("sh", "-c", shell), Map.of(), "", 0);
  }

  @Override
  protected void awaitUp(WorkerRuntime runtime, UUID workerId) {
    Awaitility.await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> logOf("worker-" + workerId).contains("sleeping"));
  }

  private static String logOf(String pod) {
    try {
      String log = client.pods().inNamespace(namespace).withName(pod).getLog();
      return log == null ? "" : log;
    } catch (KubernetesClientException e) {
      return ""; // Not started yet.
    }
  }

  private ConductorHome open(Path root) {
    ConductorHome opened = ConductorHome.open(root);
    homes.add(opened);
    if (!roots.contains(root)) {
      roots.add(root);
    }
    return opened;
  }

  private KubernetesWorkerRuntime runtimeOf(ConductorHome conductorHome) {
    KubernetesWorkerRuntime created =
        new KubernetesWorkerRuntime(
            conductorHome,
            new KubernetesRuntimeSettings(
                null,
                namespace,
                IMAGE,
                "IfNotPresent",
                null,
                "50m",
                "500m",
                "32Mi",
                "64Mi",
                null,
                null,
                null,
                null,
                Duration.ofSeconds(30),
                null,
                "topology.kubernetes.io/region"),
            Executors.newCachedThreadPool(),
            new KubernetesClientBuilder().build());
    runtimes.add(created);
    return created;
  }
}
