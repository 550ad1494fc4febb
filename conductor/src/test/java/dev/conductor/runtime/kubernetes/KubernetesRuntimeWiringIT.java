package dev.conductor.runtime.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerRuntimes;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * A conductor on the embedded default with {@code conductor.runtime.kind=kubernetes}, its cluster
 * fabric8's mock API server (standing in for one: it runs no pod): the runtime is the one wired, a
 * submitted job makes a labelled worker pod with the tenant's bus password in a Secret and not in
 * the pod, and the stopped conductor leaves neither behind.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRuntimeWiringIT {
  private static final String NAMESPACE = "conductor-it";
  private static final Duration LIMIT = Duration.ofSeconds(90);

  static KubernetesClient client;
  static KubernetesMockServer server;

  @Test
  void aJobMakesALabelledWorkerPodAndTheStoppedConductorLeavesNothing() {
    Map<String, String> cluster =
        Map.of(
            "kubernetes.master", client.getConfiguration().getMasterUrl(),
            "kubernetes.trust.certificates", "true",
            "kubernetes.auth.tryKubeConfig", "false",
            "kubernetes.auth.tryServiceAccount", "false");
    cluster.forEach(System::setProperty);
    RunningConductor conductor = null;
    try {
      Map<String, Object> properties = FastTimers.properties();
      properties.put("conductor.runtime.kind", "kubernetes");
      properties.put("conductor.runtime.kubernetes.namespace", NAMESPACE);
      properties.put("conductor.runtime.kubernetes.bus-url", "tcp://artemis.conductor.svc:61616");
      conductor = RunningConductor.start(properties);
      var context = conductor.server().context();
      assertThat(context.getBean(WorkerRuntimes.class).of("kubernetes"))
          .isInstanceOf(KubernetesWorkerRuntime.class);
      String home = context.getBean(ConductorHome.class).root().toString();

      String key = conductor.onboard("podded", "dev");
      conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":1},\"affinityKey\":\"eu\"}");

      Pod pod =
          Awaitility.await()
              .atMost(LIMIT)
              .until(() -> pods().stream().findFirst().orElse(null), found -> found != null);
      assertThat(pod.getMetadata().getLabels())
          .containsEntry(PodLabels.TENANT, "podded")
          .containsEntry(PodLabels.AFFINITY_KEY, "eu")
          .containsEntry(PodLabels.HOME, PodLabels.value(home));
      var env = pod.getSpec().getContainers().get(0).getEnv();
      assertThat(env)
          .anySatisfy(
              variable -> {
                assertThat(variable.getName()).isEqualTo("CONDUCTOR_BUS_URL");
                assertThat(variable.getValue()).isEqualTo("tcp://artemis.conductor.svc:61616");
              });
      assertThat(Serialization.asJson(pod)).doesNotContain("\"CONDUCTOR_BUS_PASSWORD\"");
      assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).hasSize(1);
    } finally {
      if (conductor != null) {
        conductor.close();
      }
      cluster.keySet().forEach(System::clearProperty);
    }
    Awaitility.await()
        .atMost(LIMIT)
        .untilAsserted(
            () -> {
              assertThat(pods()).isEmpty();
              assertThat(client.secrets().inNamespace(NAMESPACE).list().getItems()).isEmpty();
            });
  }

  private static List<Pod> pods() {
    return client.pods().inNamespace(NAMESPACE).list().getItems();
  }
}
