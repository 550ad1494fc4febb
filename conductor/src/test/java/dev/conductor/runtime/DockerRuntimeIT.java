package dev.conductor.runtime;

import static dev.conductor.testing.RunningConductor.LONG_JOB;
import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.conductor.home.ConductorHome;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Jobs end to end on the embedded default with {@code conductor.runtime.kind=docker}: workers are
 * containers of the real worker image on the local engine, reaching the embedded broker over the
 * host network. Checked against the engine: each worker's container and labels, idle teardown
 * removing it, a killed container's job running elsewhere, and no container left at the end.
 */
@ExtendWith(WorkerImage.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRuntimeIT {
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
    docker.close();
  }

  @Test
  void jobsRunInLabelledContainersAndIdleOnesAreRemoved() {
    String key = conductor.onboard("boxed", "dev");
    // Runs long enough to look at its container, not past the test.
    String id =
        conductor.submitJob(
            key, "{\"type\":\"sleep\",\"payload\":{\"ms\":3000},\"affinityKey\":\"proxy-a\"}");
    String echo =
        conductor.submitJob(
            key, "{\"type\":\"echo\",\"payload\":{\"n\":1},\"affinityKey\":\"proxy-b\"}");
    JsonNode running = await(() -> conductor.job(key, id), j -> "RUNNING".equals(status(j)), LIMIT);
    String workerId = running.get("workerId").asText();

    InspectContainerResponse container = docker.inspectContainerCmd("worker-" + workerId).exec();
    assertThat(container.getConfig().getLabels())
        .containsEntry(DockerWorkerRuntime.HOME_LABEL, home)
        .containsEntry(DockerWorkerRuntime.TENANT_LABEL, "boxed")
        .containsEntry(DockerWorkerRuntime.AFFINITY_KEY_LABEL, "proxy-a");
    assertThat(String.join("\n", container.getConfig().getEnv()))
        .contains("CONDUCTOR_BUS_USER=tenant.boxed.worker")
        .doesNotContain("CONDUCTOR_BUS_PASSWORD=");
    JsonNode done = conductor.awaitJobEnded(key, id, LIMIT);
    assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
    JsonNode echoed = conductor.awaitJobEnded(key, echo, LIMIT);
    assertThat(echoed.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(echoed.get("result").get("n").asInt()).isEqualTo(1);
    assertThat(echoed.get("workerId").asText()).isNotEqualTo(workerId);

    // Idle timeout 3 s: each worker is torn down by its teardown message, its container removed.
    await(
        () -> Json.parse(conductor.get("/v1/workers?tenant=boxed").body()).size(),
        live -> live == 0,
        LIMIT);
    for (JsonNode worker : Json.parse(conductor.get("/v1/workers?tenant=boxed&all=true").body())) {
      assertThat(worker.get("state").asText()).isEqualTo("STOPPED");
      assertThat(worker.get("stopReason").asText()).isEqualTo("idle");
    }
    Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(containers("boxed")).isEmpty());
  }

  @Test
  void aKilledContainersJobRunsElsewhereAndTheExitIsRecorded() {
    String key = conductor.onboard("crashy", "dev");
    // Outlasts the test: the kill always lands mid-job.
    String id = conductor.submitJob(key, LONG_JOB);
    JsonNode running = await(() -> conductor.job(key, id), j -> "RUNNING".equals(status(j)), LIMIT);
    String firstWorker = running.get("workerId").asText();

    docker.killContainerCmd("worker-" + firstWorker).exec();

    JsonNode again =
        await(
            () -> conductor.job(key, id),
            j -> j.get("attempts").asInt() == 2 && "RUNNING".equals(status(j)),
            LIMIT);
    assertThat(again.get("workerId").asText()).isNotEqualTo(firstWorker);
    JsonNode lost = conductor.workerRow("crashy", firstWorker);
    assertThat(lost.get("state").asText()).isEqualTo("LOST");
    assertThat(lost.get("stopReason").asText()).contains("exit code 137");
    conductor.offboard("crashy");
    Awaitility.await()
        .atMost(LIMIT)
        .untilAsserted(() -> assertThat(containers("crashy")).isEmpty());
  }

  @Test
  void aContainerOfThisHomeThatNoWorkerOwnsIsRemoved() {
    String orphan = UUID.randomUUID().toString();
    String id =
        docker
            .createContainerCmd(WorkerImage.IMAGE)
            .withName("worker-" + orphan)
            .withLabels(
                Map.of(
                    DockerWorkerRuntime.HOME_LABEL, home, DockerWorkerRuntime.WORKER_LABEL, orphan))
            .withEntrypoint("sh", "-c", "trap 'exit 0' TERM; sleep 600 & wait $!")
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();

    // The reconciler finds it by its labels, owned by no live worker row, and stops it.
    Awaitility.await()
        .atMost(LIMIT)
        .untilAsserted(
            () ->
                assertThat(
                        docker
                            .listContainersCmd()
                            .withShowAll(true)
                            .withLabelFilter(Map.of(DockerWorkerRuntime.WORKER_LABEL, orphan))
                            .exec())
                    .isEmpty());
  }

  /**
   * The first container of the image writes the class-data archive as its idle teardown ends it; a
   * later one maps it read-only, and a JVM of the image that must map it loads the worker's own
   * classes from it (class+load says "shared objects file (top)": the archive, not the jar).
   */
  @Test
  void laterContainersStartFromTheClassDataTheFirstWroteAsItEnded() throws Exception {
    String key = conductor.onboard("cds", "dev");
    String uses = null;
    for (int run = 0; run < 4 && uses == null; run++) {
      String id =
          conductor.submitJob(
              key, "{\"type\":\"echo\",\"payload\":{},\"affinityKey\":\"k" + run + "\"}");
      JsonNode running = await(() -> conductor.job(key, id), j -> j.get("workerId") != null, LIMIT);
      String workerId = running.get("workerId").asText();
      String options = javaToolOptions(docker.inspectContainerCmd("worker-" + workerId).exec());
      if (options.contains("-XX:SharedArchiveFile=")) {
        uses = options;
      }
      assertThat(conductor.awaitJobEnded(key, id, LIMIT).get("status").asText())
          .isEqualTo("SUCCEEDED");
      // Idle teardown ends it; a writer writes the archive as it exits.
      await(
          () -> conductor.workerRow("cds", workerId).get("state").asText(),
          "STOPPED"::equals,
          LIMIT);
    }
    assertThat(uses).as("a container started from the archive").isNotNull();
    String archive = uses.replaceAll(".*-XX:SharedArchiveFile=(\\S+).*", "$1");
    String volume = "conductor-class-data-" + Integer.toHexString(home.hashCode()) + "-cds";

    String output =
        runToEnd(
            docker
                .createContainerCmd(WorkerImage.IMAGE)
                .withHostConfig(
                    HostConfig.newHostConfig()
                        .withBinds(
                            new Bind(volume, new Volume(DockerClassData.MOUNT), AccessMode.ro)))
                .withEntrypoint(
                    "java",
                    "-Xshare:on",
                    "-XX:SharedArchiveFile=" + archive,
                    "-XX:TieredStopAtLevel=1",
                    "-XX:+UseSerialGC",
                    "-Xss512k",
                    "-XX:-UsePerfData",
                    "-Dio.netty.jfr.enabled=false",
                    "-XX:MaxRAMPercentage=75",
                    "-Xlog:class+load=info:stdout",
                    "-cp",
                    "@/app/jib-classpath-file",
                    "dev.conductor.worker.WorkerMain"));
    assertThat(output)
        .contains("dev.conductor.worker.WorkerMain source: shared objects file (top)");

    // Another tenant's first container never mounts that archive: it writes its own tenant's,
    // since a writer runs the tenant's handlers with the volume writable.
    String otherKey = conductor.onboard("cds-other", "dev");
    String other =
        conductor.submitJob(otherKey, "{\"type\":\"echo\",\"payload\":{},\"affinityKey\":\"k\"}");
    String otherWorker =
        await(() -> conductor.job(otherKey, other), j -> j.get("workerId") != null, LIMIT)
            .get("workerId")
            .asText();
    InspectContainerResponse otherContainer =
        docker.inspectContainerCmd("worker-" + otherWorker).exec();
    assertThat(otherContainer.getMounts())
        .extracting(m -> m.getName())
        .containsExactly(
            "conductor-class-data-" + Integer.toHexString(home.hashCode()) + "-cds-other");
    assertThat(javaToolOptions(otherContainer)).contains("-XX:ArchiveClassesAtExit=");
    assertThat(conductor.awaitJobEnded(otherKey, other, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  private static String javaToolOptions(InspectContainerResponse container) {
    return Arrays.stream(container.getConfig().getEnv())
        .filter(v -> v.startsWith("JAVA_TOOL_OPTIONS="))
        .findFirst()
        .orElse("");
  }

  /** Runs a created container to its end; its output. */
  private String runToEnd(CreateContainerCmd create) throws Exception {
    String id = create.exec().getId();
    try {
      docker.startContainerCmd(id).exec();
      docker.waitContainerCmd(id).start().awaitStatusCode(60, TimeUnit.SECONDS);
      StringBuilder output = new StringBuilder();
      docker
          .logContainerCmd(id)
          .withStdOut(true)
          .withStdErr(true)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                }
              })
          .awaitCompletion(30, TimeUnit.SECONDS);
      return output.toString();
    } finally {
      docker.removeContainerCmd(id).withForce(true).exec();
    }
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

  private List<String> containers(String tenant) {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(
            Map.of(DockerWorkerRuntime.HOME_LABEL, home, DockerWorkerRuntime.TENANT_LABEL, tenant))
        .exec()
        .stream()
        .map(c -> c.getNames()[0] + " " + c.getState())
        .toList();
  }

  private static String status(JsonNode job) {
    return job.get("status").asText();
  }
}
