package dev.conductor.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import dev.conductor.ConductorServer;
import dev.conductor.runtime.DockerEngine;
import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.ProcessWorkerRuntime;
import dev.conductor.runtime.WorkerRuntimes;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real conductor on the embedded default (its own PostgreSQL and Artemis in a temporary home,
 * free ports), plus a small HTTP client for tests.
 */
public final class RunningConductor implements AutoCloseable {
  private final ConductorServer server;
  private final Path ownedHome;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunningConductor(ConductorServer server, Path ownedHome) {
    this.server = server;
    this.ownedHome = ownedHome;
  }

  /**
   * A job that runs far longer than any test looks at it (within the dev plan's 1 m job timeout),
   * so a test can act on it while it runs without racing its end.
   */
  public static final String LONG_JOB = "{\"type\":\"sleep\",\"payload\":{\"ms\":50000}}";

  /**
   * Starts a conductor; without a {@code conductor.home} override it gets a temporary home that is
   * deleted again on {@link #close()}.
   */
  public static RunningConductor start(Map<String, Object> overrides) {
    try {
      Path home =
          overrides.containsKey("conductor.home")
              ? null
              : Files.createTempDirectory("conductor-test-home");
      Map<String, Object> properties = new HashMap<>();
      if (home != null) {
        properties.put("conductor.home", home.toString());
      }
      properties.put("micronaut.server.port", -1);
      properties.put("conductor.bus.artemis.embedded-port", 0);
      properties.put("conductor.operations.poll-interval", "200ms");
      properties.putAll(overrides);
      return new RunningConductor(ConductorServer.start(properties), home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public ConductorServer server() {
    return server;
  }

  public URI url() {
    return server.url();
  }

  public String adminToken() {
    return server.adminToken();
  }

  /** The settings that point another conductor (a replica) at this one's database and broker. */
  public Map<String, Object> engines() {
    var context = server.context();
    Map<String, Object> properties = new HashMap<>();
    for (String name :
        List.of(
            "datasources.default.url",
            "datasources.default.username",
            "datasources.default.password",
            "conductor.bus.artemis.url",
            "conductor.bus.artemis.user",
            "conductor.bus.artemis.password")) {
      properties.put(name, context.getRequiredProperty(name, String.class));
    }
    return properties;
  }

  /** A direct connection to the conductor's database as the PostgreSQL superuser. */
  public java.sql.Connection superuserConnection() throws java.sql.SQLException {
    var context = server.context();
    return java.sql.DriverManager.getConnection(
        context.getRequiredProperty("datasources.default.url", String.class),
        context.getRequiredProperty("datasources.default.username", String.class),
        context.getRequiredProperty("datasources.default.password", String.class));
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A request to {@code path} carrying the admin token. */
  public HttpRequest.Builder admin(String path) {
    return HttpRequest.newBuilder(url().resolve(path))
        .header("Authorization", "Bearer " + adminToken())
        .timeout(Duration.ofSeconds(30));
  }

  /** A request to {@code path} carrying a tenant's API key. */
  public HttpRequest.Builder tenant(String apiKey, String path) {
    return HttpRequest.newBuilder(url().resolve(path))
        .header("Authorization", "Bearer " + apiKey)
        .timeout(Duration.ofSeconds(70));
  }

  /** Posts a job as the tenant's app would and returns the response, whatever its status. */
  public HttpResponse<String> postJob(String apiKey, String json) {
    return send(
        tenant(apiKey, "/v1/jobs")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  /** Submits a job as the tenant's app would; returns its id. Anything but 202 fails the test. */
  public String submitJob(String apiKey, String json) {
    HttpResponse<String> response = postJob(apiKey, json);
    if (response.statusCode() != 202) {
      throw new AssertionError(
          "job not accepted: " + response.statusCode() + " " + response.body());
    }
    return Json.parse(response.body()).get("id").asText();
  }

  /** The job as its tenant sees it. */
  public JsonNode job(String apiKey, String id) {
    return Json.parse(send(tenant(apiKey, "/v1/jobs/" + id).GET()).body());
  }

  /** Waits until the job has ended (SUCCEEDED, FAILED or CANCELLED) and returns it. */
  public JsonNode awaitJobEnded(String apiKey, String id, Duration limit) {
    return await(
        () -> job(apiKey, id),
        job -> Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(job.path("status").asText()),
        limit);
  }

  /** The tenant as the operator sees it. */
  public JsonNode tenant(String name) {
    return Json.parse(get("/v1/tenants/" + name).body());
  }

  /** The operation as the operator sees it. */
  public JsonNode operation(String id) {
    return Json.parse(get("/v1/operations/" + id).body());
  }

  /** Waits until the operation has ended (SUCCEEDED, FAILED or CANCELLED) and returns it. */
  public JsonNode awaitOperationEnded(String id, Duration limit) {
    return await(
        () -> operation(id),
        operation ->
            Set.of("SUCCEEDED", "FAILED", "CANCELLED").contains(operation.path("status").asText()),
        limit);
  }

  /** How many databases named {@code name} the conductor's PostgreSQL has: 0 or 1. */
  public int databaseCount(String name) {
    try (java.sql.Connection connection = superuserConnection();
        java.sql.PreparedStatement query =
            connection.prepareStatement("SELECT count(*) FROM pg_database WHERE datname = ?")) {
      query.setString(1, name);
      try (java.sql.ResultSet row = query.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  /** Onboards a tenant and waits until it is READY; returns its API key. */
  public String onboard(String name, String plan) {
    HttpResponse<String> created =
        postJson("/v1/tenants", "{\"name\":\"" + name + "\",\"plan\":\"" + plan + "\"}");
    if (created.statusCode() != 202) {
      throw new AssertionError("onboarding " + name + " failed: " + created.body());
    }
    await(() -> tenant(name).path("status").asText(), "READY"::equals, Duration.ofSeconds(60));
    return Json.parse(created.body()).get("apiKey").asText();
  }

  /**
   * Offboards a tenant and waits until it is DELETED: its jobs cancelled, its workers stopped.
   * Tests that leave long jobs running end with this, so later tests find no stray workers.
   */
  public void offboard(String name) {
    HttpResponse<String> deleted = delete("/v1/tenants/" + name);
    if (deleted.statusCode() != 202) {
      throw new AssertionError("offboarding " + name + " failed: " + deleted.body());
    }
    await(() -> tenant(name).path("status").asText(), "DELETED"::equals, Duration.ofSeconds(90));
  }

  /** Every live process this conductor started as a worker, straight from the OS. */
  public java.util.List<ProcessHandle> workerProcesses() {
    return ProcessWorkerRuntime.processesOf(server.home());
  }

  /** The id of the live (not DELETED) tenant called {@code name}, read from the database. */
  public java.util.UUID tenantId(String name) {
    try (java.sql.Connection db = superuserConnection();
        java.sql.PreparedStatement query =
            db.prepareStatement("SELECT id FROM tenants WHERE name = ? AND status <> 'DELETED'")) {
      query.setString(1, name);
      try (java.sql.ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          throw new AssertionError("no live tenant " + name);
        }
        return row.getObject(1, java.util.UUID.class);
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The one live process of worker {@code workerId}, found by the id on its command line. */
  public ProcessHandle workerProcess(String workerId) {
    java.util.List<ProcessHandle> matches =
        workerProcesses().stream()
            .filter(
                p ->
                    p.info()
                        .arguments()
                        .map(a -> java.util.List.of(a).contains("-Dconductor.worker=" + workerId))
                        .orElse(false))
            .toList();
    if (matches.size() != 1) {
      throw new AssertionError("worker " + workerId + " has " + matches.size() + " processes");
    }
    return matches.get(0);
  }

  /**
   * Worker {@code workerId} of {@code tenant} as the operator API lists it, ended ones included.
   */
  public JsonNode workerRow(String tenant, String workerId) {
    for (JsonNode worker : Json.parse(get("/v1/workers?tenant=" + tenant + "&all=true").body())) {
      if (worker.get("id").asText().equals(workerId)) {
        return worker;
      }
    }
    throw new AssertionError("worker " + workerId + " not listed");
  }

  public HttpResponse<String> get(String path) {
    return send(admin(path).GET());
  }

  public HttpResponse<String> postJson(String path, String json) {
    return send(
        admin(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> patchJson(String path, String json) {
    return send(
        admin(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
  }

  public HttpResponse<String> delete(String path) {
    return send(admin(path).DELETE());
  }

  /** Polls until the value satisfies the condition; fails with the last value after the limit. */
  public static <T> T await(Supplier<T> value, Predicate<T> condition, Duration limit) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      return Awaitility.await()
          .atMost(limit)
          .pollDelay(Duration.ZERO)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> {
                last.set(value.get());
                return last.get();
              },
              condition);
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "condition not met within " + limit + "; last value: " + last.get(), e);
    }
  }

  @Override
  public void close() {
    boolean onDocker =
        server.context().getBean(WorkerRuntimes.class).active().containsKey("docker");
    String home = server.home().toString();
    server.close();
    if (onDocker) {
      // The workers' class-data volume outlives a conductor by design; a test leaves none.
      try (DockerClient docker = DockerEngine.connect(DockerEngine.hostOf(null))) {
        docker
            .listVolumesCmd()
            .withFilter("label", List.of(DockerWorkerRuntime.HOME_LABEL + "=" + home))
            .exec()
            .getVolumes()
            .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    if (ownedHome != null) {
      deleteRecursively(ownedHome);
    }
  }

  public static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (var paths = Files.walk(root)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
