package dev.conductor.runtime;

import static dev.conductor.testing.Problems.assertProblem;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.conductor.home.ConductorHome;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Placement on the docker runtime with two locations, {@code eu} and {@code us}, both engines being
 * the local one (each location owns only the containers labelled with it): a located job runs in a
 * container of its location, a job of the same affinity key in another location gets a worker of
 * its own there, the worker rows say where they ran, and no container is left.
 */
@ExtendWith(WorkerImage.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerPlacementIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private RunningConductor conductor;
  private DockerClient docker;
  private String home;

  @BeforeAll
  void start() {
    docker = DockerEngine.connect(DockerEngine.hostOf(null));
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.runtime.kind", "docker");
    properties.put("conductor.runtime.docker.image", WorkerImage.IMAGE);
    properties.put("conductor.runtime.docker.locations.eu.network", "host");
    // What an engine cannot tell, configured: where eu's traffic leaves from.
    properties.put("conductor.runtime.docker.locations.eu.egress-address", "198.51.100.7");
    properties.put("conductor.runtime.docker.locations.us.network", "host");
    conductor = RunningConductor.start(properties);
    home = conductor.server().context().getBean(ConductorHome.class).root().toString();
  }

  @AfterAll
  void stopAndFindNoContainerLeft() throws IOException {
    if (conductor == null) {
      return;
    }
    conductor.close();
    Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(containers()).isEmpty());
    // Class-data volumes (one per location) outlive the conductor by design; a test leaves none.
    docker
        .listVolumesCmd()
        .withFilter("label", List.of(DockerWorkerRuntime.HOME_LABEL + "=" + home))
        .exec()
        .getVolumes()
        .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
    docker.close();
  }

  @Test
  void aJobRunsInAContainerOfItsLocationAndAnotherLocationGetsItsOwnWorker() {
    String key = conductor.onboard("placed", "dev");
    // Long enough to look at both containers while they run.
    String inEu =
        conductor.submitJob(
            key,
            "{\"type\":\"sleep\",\"payload\":{\"ms\":3000},\"affinityKey\":\"proxy\","
                + "\"location\":\"eu\"}");
    String inUs =
        conductor.submitJob(
            key,
            "{\"type\":\"sleep\",\"payload\":{\"ms\":3000},\"affinityKey\":\"proxy\","
                + "\"location\":\"us\"}");

    String euWorker = runningOn(key, inEu);
    String usWorker = runningOn(key, inUs);

    assertThat(usWorker).isNotEqualTo(euWorker);
    assertThat(labels(euWorker))
        .containsEntry(DockerWorkerRuntime.LOCATION_LABEL, "eu")
        .containsEntry(DockerWorkerRuntime.AFFINITY_KEY_LABEL, "proxy");
    assertThat(labels(usWorker))
        .containsEntry(DockerWorkerRuntime.LOCATION_LABEL, "us")
        .containsEntry(DockerWorkerRuntime.AFFINITY_KEY_LABEL, "proxy");
    assertThat(conductor.job(key, inEu).get("location").asText()).isEqualTo("eu");
    assertThat(conductor.awaitJobEnded(key, inEu, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(conductor.awaitJobEnded(key, inUs, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(conductor.workerRow("placed", euWorker).get("location").asText()).isEqualTo("eu");
    assertThat(conductor.workerRow("placed", usWorker).get("location").asText()).isEqualTo("us");
    assertThat(conductor.workerRow("placed", euWorker).get("egressAddress").asText())
        .isEqualTo("198.51.100.7");
    assertThat(conductor.workerRow("placed", usWorker).has("egressAddress"))
        .as("us names no egress address, and the engine cannot tell")
        .isFalse();

    // Idle teardown (3 s) removes both containers, each through the engine of its location.
    await(
        () -> Json.parse(conductor.get("/v1/workers?tenant=placed").body()).size(),
        live -> live == 0,
        LIMIT);
    for (JsonNode worker : Json.parse(conductor.get("/v1/workers?tenant=placed&all=true").body())) {
      assertThat(worker.get("stopReason").asText()).isEqualTo("idle");
    }
    Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(containers()).isEmpty());
  }

  @Test
  void anUnservedLocationIsRefusedNamingTheServedOnesAndAKeyKeepsItsLocation() {
    String key = conductor.onboard("picky", "dev");

    JsonNode refused =
        assertProblem(conductor.postJob(key, "{\"type\":\"echo\",\"location\":\"mars\"}"), 422);
    assertThat(refused.get("detail").asText())
        .isEqualTo("location 'mars' is not served here: runtime 'docker' serves: eu, us");

    String first =
        conductor.submitJob(
            key, "{\"type\":\"echo\",\"location\":\"eu\",\"idempotencyKey\":\"once\"}");
    JsonNode conflict =
        assertProblem(
            conductor.postJob(
                key, "{\"type\":\"echo\",\"location\":\"us\",\"idempotencyKey\":\"once\"}"),
            409);
    assertThat(conflict.get("detail").asText())
        .isEqualTo(
            "idempotencyKey already used for job "
                + first
                + " with location eu; send the same request again or use a new key");
    assertThat(conductor.awaitJobEnded(key, first, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  private String runningOn(String key, String job) {
    return await(
            () -> conductor.job(key, job), j -> "RUNNING".equals(j.get("status").asText()), LIMIT)
        .get("workerId")
        .asText();
  }

  private Map<String, String> labels(String workerId) {
    return docker.inspectContainerCmd("worker-" + workerId).exec().getConfig().getLabels();
  }

  private List<String> containers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerWorkerRuntime.HOME_LABEL, home))
        .exec()
        .stream()
        .map(c -> c.getNames()[0] + " " + c.getState())
        .toList();
  }
}
