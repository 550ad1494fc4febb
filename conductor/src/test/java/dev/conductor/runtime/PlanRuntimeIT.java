package dev.conductor.runtime;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.conductor.home.ConductorHome;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A runtime per plan: on a conductor whose default runtime stays {@code process}, a plan naming
 * {@code docker} with its own image and limits runs its workers as containers of that image with
 * those limits (read back from the engine), while a plan naming none runs processes, both at once;
 * each worker's log reads through the API on its runtime, live and after it ended.
 */
@ExtendWith(WorkerImage.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlanRuntimeIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  // A tag of the worker image that only this test's plan names: the runtime's own image is another.
  private static final String PLAN_REPOSITORY = "conductor-worker-plan";
  private static final String PLAN_IMAGE = PLAN_REPOSITORY + ":it";
  private static final String SHORT_JOB = "{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}";
  private RunningConductor conductor;
  private DockerClient docker;
  private String home;

  @BeforeAll
  void start() {
    docker = DockerEngine.connect(DockerEngine.hostOf(null));
    docker.tagImageCmd(WorkerImage.IMAGE, PLAN_REPOSITORY, "it").exec();
    Map<String, Object> properties = FastTimers.properties();
    String boxed = "conductor.plans.boxed.";
    properties.put(boxed + "worker-capacity", 1);
    properties.put(boxed + "max-workers-per-key", 1);
    properties.put(boxed + "max-workers-per-tenant", 2);
    properties.put(boxed + "idle-timeout", "3s");
    properties.put(boxed + "max-attempts", 2);
    properties.put(boxed + "job-timeout", "1m");
    properties.put(boxed + "max-payload-bytes", 1024);
    properties.put(boxed + "runtime", "docker");
    properties.put(boxed + "worker-image", PLAN_IMAGE);
    properties.put(boxed + "worker-cpus", "0.5");
    properties.put(boxed + "worker-memory", "384MB");
    conductor = RunningConductor.start(properties);
    home = conductor.server().context().getBean(ConductorHome.class).root().toString();
  }

  @AfterAll
  void stopAndFindNoContainerLeft() throws IOException {
    try {
      if (conductor != null) {
        conductor.close();
        Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(containers()).isEmpty());
      }
    } finally {
      try {
        docker.removeImageCmd(PLAN_IMAGE).exec(); // the tag only: the image keeps its others
      } catch (NotFoundException e) {
        // never tagged
      }
      docker.close();
    }
  }

  @Test
  void aPlanNamingDockerRunsContainersOfItsImageAndLimitsBesideProcesses() throws SQLException {
    assertThat(
            conductor
                .server()
                .context()
                .getRequiredProperty("conductor.runtime.kind", String.class))
        .isEqualTo("process");
    String boxedKey = conductor.onboard("boxed-tenant", "boxed");
    String localKey = conductor.onboard("local-tenant", "dev");
    String boxedJob = conductor.submitJob(boxedKey, SHORT_JOB);
    String localJob = conductor.submitJob(localKey, SHORT_JOB);
    String boxedWorker = runningOn(boxedKey, boxedJob);
    String localWorker = runningOn(localKey, localJob);

    InspectContainerResponse container = docker.inspectContainerCmd("worker-" + boxedWorker).exec();
    assertThat(container.getConfig().getImage()).isEqualTo(PLAN_IMAGE);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(container.getHostConfig().getMemory()).isEqualTo(384L * 1024 * 1024);
    assertThat(container.getConfig().getLabels())
        .containsEntry(DockerWorkerRuntime.HOME_LABEL, home)
        .containsEntry(DockerWorkerRuntime.TENANT_LABEL, "boxed-tenant");
    assertThat(runtimeOf(boxedWorker)).isEqualTo("docker");
    // The plan without a runtime: a process of this conductor, no container.
    assertThat(runtimeOf(localWorker)).isEqualTo("process");
    assertThat(conductor.workerProcess(localWorker).isAlive()).isTrue();
    assertThat(containers()).noneMatch(name -> name.contains(localWorker));

    // A live container's log comes from the engine; a live process's from its file. The worker
    // logs "ready" just after it subscribes: its job may be running a moment before.
    await(() -> logs(boxedWorker).body(), log -> log.contains(ready(boxedWorker)), LIMIT);
    await(() -> logs(localWorker).body(), log -> log.contains(ready(localWorker)), LIMIT);

    assertThat(conductor.awaitJobEnded(boxedKey, boxedJob, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
    assertThat(conductor.awaitJobEnded(localKey, localJob, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
    // Idle 3 s: both are torn down; the container is removed, its log kept under the home.
    awaitEnded("boxed-tenant", boxedWorker);
    awaitEnded("local-tenant", localWorker);
    Awaitility.await().atMost(LIMIT).untilAsserted(() -> assertThat(containers()).isEmpty());
    assertThat(logs(boxedWorker).body()).contains(ready(boxedWorker));
    assertThat(logs(localWorker).body()).contains(ready(localWorker));
    conductor.offboard("boxed-tenant");
    conductor.offboard("local-tenant");
  }

  private String runningOn(String key, String job) {
    return await(
            () -> conductor.job(key, job), j -> "RUNNING".equals(j.path("status").asText()), LIMIT)
        .get("workerId")
        .asText();
  }

  private void awaitEnded(String tenant, String worker) {
    JsonNode ended =
        await(
            () -> conductor.workerRow(tenant, worker),
            row -> Set.of("STOPPED", "LOST").contains(row.path("state").asText()),
            LIMIT);
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("STOPPED");
  }

  private static String ready(String worker) {
    return "ready workerId=" + worker;
  }

  private HttpResponse<String> logs(String worker) {
    HttpResponse<String> response =
        conductor.send(
            conductor
                .admin("/v1/workers/" + worker + "/logs")
                .header("Accept", "text/plain")
                .GET());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return response;
  }

  private String runtimeOf(String worker) throws SQLException {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement query = db.prepareStatement("SELECT runtime FROM workers WHERE id = ?")) {
      query.setObject(1, UUID.fromString(worker));
      try (ResultSet row = query.executeQuery()) {
        assertThat(row.next()).isTrue();
        return row.getString(1);
      }
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
}
