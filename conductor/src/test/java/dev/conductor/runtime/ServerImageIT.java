package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.conductor.testing.Json;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quick start on containers: `docker run` of the server image alone (its embedded PostgreSQL
 * and broker inside, the Docker socket mounted) onboards a tenant and runs a job on a worker that
 * it starts as a sibling container, which its idle teardown then removes.
 */
@ExtendWith(ServerImage.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ServerImageIT {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final String SOCKET = "/var/run/docker.sock";
  private static final String HOME = "/var/lib/conductor/home";

  private final HttpClient http = HttpClient.newHttpClient();
  private final String token = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
  private final String tenant =
      "img" + HexFormat.of().formatHex(new SecureRandom().generateSeed(3));
  private DockerClient docker;
  private String server;
  private URI url;

  @BeforeAll
  void runTheServerImage() throws IOException {
    docker = DockerEngine.connect(DockerEngine.hostOf(null));
    int httpPort = freePort();
    // The image's user reaches the socket through its group, as an operator's --group-add does.
    int socketGroup = (Integer) Files.getAttribute(Path.of(SOCKET), "unix:gid");
    server =
        docker
            .createContainerCmd(ServerImage.IMAGE)
            .withName("conductor-server-it-" + tenant)
            .withEnv(
                "MICRONAUT_SERVER_PORT=" + httpPort,
                "CONDUCTOR_BUS_ARTEMIS_EMBEDDED_PORT=" + freePort(),
                "CONDUCTOR_ADMIN_TOKEN=" + token)
            .withHostConfig(
                HostConfig.newHostConfig()
                    .withNetworkMode("host")
                    .withBinds(Bind.parse(SOCKET + ":" + SOCKET))
                    .withGroupAdd(List.of(String.valueOf(socketGroup))))
            .exec()
            .getId();
    docker.startContainerCmd(server).exec();
    url = URI.create("http://127.0.0.1:" + httpPort);
    Awaitility.await("the server container's /health")
        .atMost(LIMIT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .until(() -> get("/health", null).statusCode() == 200);
  }

  @AfterAll
  void removeEverything() {
    if (docker == null) {
      return;
    }
    try {
      if (server != null) {
        System.out.println("server container log (tail):\n" + logTail(server));
        docker.removeContainerCmd(server).withForce(true).withRemoveVolumes(true).exec();
      }
      for (Container left : workerContainers()) {
        docker.removeContainerCmd(left.getId()).withForce(true).exec();
      }
      // The workers' class-data volume of the image's home (docs/runtimes.md).
      docker
          .listVolumesCmd()
          .withFilter("label", List.of(DockerWorkerRuntime.HOME_LABEL + "=" + HOME))
          .exec()
          .getVolumes()
          .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
    } finally {
      try {
        docker.close();
      } catch (IOException e) {
        System.out.println("docker client not closed: " + e);
      }
    }
  }

  @Test
  void onboardsATenantAndRunsItsJobOnASiblingContainerThatIdleTeardownRemoves() throws Exception {
    JsonNode created =
        Json.parse(
            send("POST", "/v1/tenants", token, "{\"name\":\"" + tenant + "\",\"plan\":\"dev\"}")
                .body());
    String key = created.get("apiKey").asText();
    Awaitility.await("tenant READY")
        .atMost(LIMIT)
        .until(
            () -> Json.parse(get("/v1/tenants/" + tenant, token).body()).get("status").asText(),
            "READY"::equals);

    String id =
        Json.parse(
                send("POST", "/v1/jobs", key, "{\"type\":\"echo\",\"payload\":{\"n\":7}}").body())
            .get("id")
            .asText();
    JsonNode job =
        Awaitility.await("job ended")
            .atMost(LIMIT)
            .until(
                () -> Json.parse(get("/v1/jobs/" + id + "?wait=10s", key).body()),
                j ->
                    !List.of("QUEUED", "DISPATCHED", "RUNNING").contains(j.get("status").asText()));
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.get("result").get("n").asInt()).isEqualTo(7);

    // The worker ran beside the server, not inside it: a container of the worker image, labelled
    // with the server's home and the tenant.
    String workerId = job.get("workerId").asText();
    InspectContainerResponse worker = docker.inspectContainerCmd("worker-" + workerId).exec();
    assertThat(worker.getConfig().getImage()).isEqualTo(WorkerImage.IMAGE);
    assertThat(worker.getConfig().getLabels())
        .containsEntry(DockerWorkerRuntime.HOME_LABEL, HOME)
        .containsEntry(DockerWorkerRuntime.TENANT_LABEL, tenant);

    // The dev plan's idle timeout tears it down by its scheduled message; its container goes.
    Awaitility.await("idle worker container removed")
        .atMost(LIMIT)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> docker.inspectContainerCmd("worker-" + workerId).exec())
                    .isInstanceOf(NotFoundException.class));
    JsonNode stopped = workerRow(workerId);
    assertThat(stopped.get("state").asText()).isEqualTo("STOPPED");
    assertThat(stopped.get("stopReason").asText()).isEqualTo("idle");
    assertThat(workerContainers()).isEmpty();
  }

  private JsonNode workerRow(String workerId) throws Exception {
    for (JsonNode worker :
        Json.parse(get("/v1/workers?tenant=" + tenant + "&all=true", token).body())) {
      if (worker.get("id").asText().equals(workerId)) {
        return worker;
      }
    }
    throw new AssertionError("no worker row " + workerId);
  }

  private List<Container> workerContainers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(DockerWorkerRuntime.TENANT_LABEL, tenant))
        .exec();
  }

  private HttpResponse<String> get(String path, String credential) throws Exception {
    return send("GET", path, credential, null);
  }

  private HttpResponse<String> send(String method, String path, String credential, String body)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url.resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (credential != null) {
      request.header("Authorization", "Bearer " + credential);
    }
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private String logTail(String container) {
    StringBuilder text = new StringBuilder();
    try {
      docker
          .logContainerCmd(container)
          .withStdOut(true)
          .withStdErr(true)
          .withTail(40)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  text.append(new String(frame.getPayload()));
                }
              })
          .awaitCompletion(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return text.toString();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
