package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import dev.conductor.runtime.DockerEngine;
import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.WorkerImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The docker runtime through a real conductor crash: {@code conductor server} with {@code
 * CONDUCTOR_RUNTIME_KIND=docker} is killed with SIGKILL while its container workers run jobs, and
 * restarted on the same home and ports. The containers outlive it, the restarted conductor finds
 * them by their home label, every job succeeds, and once the tenant is idle the engine holds no
 * container of that home, from before or after the crash.
 */
@ExtendWith(WorkerImage.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerWorkersSurviveConductorCrashIT {
  private static final String TENANT = "boxed";
  private static final String TOKEN = "e2e-" + UUID.randomUUID();
  private static final int JOBS = 4;
  private static final Duration WITHIN = Duration.ofSeconds(120);
  private static final Map<String, String> SETTINGS =
      Map.of(
          "CONDUCTOR_ADMIN_TOKEN", TOKEN,
          "CONDUCTOR_RUNTIME_KIND", "docker",
          "CONDUCTOR_RUNTIME_DOCKER_IMAGE", WorkerImage.IMAGE,
          "CONDUCTOR_PLANS_DEV_IDLE_TIMEOUT", "3s",
          "CONDUCTOR_WORKERS_HEARTBEAT_INTERVAL", "500ms",
          "CONDUCTOR_WORKERS_HEARTBEAT_TIMEOUT", "8s",
          "CONDUCTOR_WORKERS_RECONCILE_INTERVAL", "500ms",
          "CONDUCTOR_WORKERS_SHUTDOWN_GRACE", "5s");

  private Path home;
  private DockerClient docker;
  private ConductorProcess crashed;
  private ConductorProcess restarted;

  @RegisterExtension
  final ServerLogOnFailure serverLogs =
      new ServerLogOnFailure(() -> Arrays.asList(crashed, restarted));

  @BeforeAll
  void createHome() throws IOException {
    home = Files.createTempDirectory("conductor-e2e-containers-crash-");
    docker = DockerEngine.connect(DockerEngine.hostOf(null));
  }

  @AfterAll
  void cleanUp() throws IOException {
    try {
      for (ConductorProcess server : Arrays.asList(restarted, crashed)) {
        if (server != null) {
          server.close();
        }
      }
      // Whatever a failed run left: never a container beyond the test.
      containers(true).forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
      // The workers' class-data volume outlives a conductor by design; a test leaves none.
      docker
          .listVolumesCmd()
          .withFilter("label", List.of(DockerWorkerRuntime.HOME_LABEL + "=" + home))
          .exec()
          .getVolumes()
          .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
      Postmaster.stopLeftover(home);
    } finally {
      docker.close();
      E2e.deleteRecursively(home);
    }
  }

  @Test
  void containersOutliveAKilledConductorAreFoundAfterItsRestartAndNoneIsLeft() {
    crashed = ConductorProcess.start("ContainerWorkersCrashIT-killed", home, SETTINGS);
    ConductorApi admin = new ConductorApi(crashed.url(), TOKEN);
    String apiKey = onboard(admin);
    ConductorApi tenant = new ConductorApi(crashed.url(), apiKey);
    List<String> jobIds = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ObjectNode job = (ObjectNode) ConductorApi.object("type", "sleep");
      job.putObject("payload").put("ms", 3000);
      job.put("affinityKey", "proxy-" + (i % 2));
      jobIds.add(tenant.post("/v1/jobs", job, 202).path("id").asText());
    }
    Poll.until(
        "2 jobs RUNNING",
        WITHIN,
        () -> tenant.get("/v1/jobs?limit=500").path("items"),
        jobs -> count(jobs, "RUNNING") >= 2);

    crashed.kill();

    List<String> survivors = containers(false).stream().map(c -> c.getNames()[0]).toList();
    assertThat(survivors)
        .as("premise: the container workers outlive the SIGKILLed conductor")
        .isNotEmpty();
    restarted =
        ConductorProcess.start(
            "ContainerWorkersCrashIT-restarted", home, SETTINGS, crashed.port(), crashed.busPort());
    ConductorApi after = new ConductorApi(restarted.url(), apiKey);
    for (String id : jobIds) {
      JsonNode job =
          Poll.until(
              "job " + id + " ended",
              WITHIN,
              () -> after.get("/v1/jobs/" + id),
              j -> List.of("SUCCEEDED", "FAILED", "CANCELLED").contains(j.path("status").asText()));
      assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
    }
    ConductorApi adminAfter = new ConductorApi(restarted.url(), TOKEN);
    Poll.until(
        "no live worker of " + TENANT,
        WITHIN,
        () -> adminAfter.get("/v1/workers?tenant=" + TENANT),
        workers -> workers.isArray() && workers.isEmpty());
    List<String> known = new ArrayList<>();
    adminAfter
        .get("/v1/workers?tenant=" + TENANT + "&all=true")
        .forEach(worker -> known.add("/worker-" + worker.path("id").asText()));
    assertThat(known)
        .as("the containers from before the crash are workers the restarted conductor knows")
        .containsAll(survivors);
    List<String> left =
        Poll.until(
            "no container of the home left",
            WITHIN,
            () -> containers(true).stream().map(c -> c.getNames()[0] + " " + c.getState()).toList(),
            List::isEmpty);
    assertThat(left).isEmpty();
  }

  private String onboard(ConductorApi admin) {
    JsonNode created =
        admin.post("/v1/tenants", ConductorApi.object("name", TENANT, "plan", "dev"), 202);
    Poll.until(
        "tenant " + TENANT + " READY",
        WITHIN,
        () -> admin.get("/v1/tenants/" + TENANT),
        t -> "READY".equals(t.path("status").asText()));
    return created.path("apiKey").asText();
  }

  /** The engine's own list of this home's worker containers, running only or all. */
  private List<Container> containers(boolean all) {
    return docker
        .listContainersCmd()
        .withShowAll(all)
        .withLabelFilter(Map.of(DockerWorkerRuntime.HOME_LABEL, home.toString()))
        .exec();
  }

  private static long count(JsonNode jobs, String status) {
    long n = 0;
    for (JsonNode job : jobs) {
      if (status.equals(job.path("status").asText())) {
        n++;
      }
    }
    return n;
  }
}
