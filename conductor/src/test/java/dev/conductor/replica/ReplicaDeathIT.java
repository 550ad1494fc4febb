package dev.conductor.replica;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.runtime.ProcessWorkerRuntime;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A replica killed with SIGKILL (a second conductor JVM on the first one's PostgreSQL and broker)
 * leaves its workers running; the surviving replica adopts them once the dead one's lease ran out,
 * fences them (the dead replica's child processes are out of its reach: ended, told to stop, their
 * jobs run again), and every job completes with no worker process left behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaDeathIT {
  private final HttpClient http = HttpClient.newHttpClient();
  private Map<String, Object> shared;
  private RunningConductor survivor;
  private Path deadHome;
  private Process dead;

  @BeforeAll
  void start() throws IOException {
    shared = TwoReplicas.shared();
    survivor = RunningConductor.start(shared);
    deadHome = Files.createTempDirectory("conductor-test-home");
  }

  @AfterAll
  void stop() {
    if (dead != null) {
      dead.destroyForcibly();
    }
    if (deadHome != null) {
      ProcessWorkerRuntime.processesOf(deadHome).forEach(ProcessHandle::destroyForcibly);
    }
    if (survivor != null) {
      survivor.close();
    }
    if (deadHome != null) {
      RunningConductor.deleteRecursively(deadHome);
    }
  }

  @Test
  void aKilledReplicasWorkersAreFencedByTheSurvivorAndItsJobsComplete() throws Exception {
    String key = survivor.onboard("orphans", "wide");
    URI doomed = startSecondReplica();
    // Jobs routed by the doomed replica run on its workers, long enough to be in flight at its end.
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(submit(doomed, key, "{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}"));
    }
    String doomedReplica =
        await(
                () ->
                    TwoReplicas.column(
                        survivor,
                        "SELECT DISTINCT w.owner_replica FROM jobs j JOIN workers w"
                            + " ON w.id = j.worker_id WHERE j.status = 'RUNNING'"
                            + " AND w.owner_replica <> ?",
                        TwoReplicas.replicaOf(survivor)),
                owners -> owners.size() == 1,
                Duration.ofSeconds(60))
            .get(0);
    assertThat(ProcessWorkerRuntime.processesOf(deadHome)).isNotEmpty();
    List<String> orphaned =
        TwoReplicas.column(
            survivor,
            "SELECT id FROM workers WHERE owner_replica = ?::uuid"
                + " AND state IN ('STARTING', 'READY', 'DRAINING')",
            doomedReplica);

    dead.destroyForcibly().waitFor();

    for (String id : ids) {
      assertThat(survivor.awaitJobEnded(key, id, Duration.ofSeconds(120)).get("status").asText())
          .as("job " + id)
          .isEqualTo("SUCCEEDED");
    }
    String ofOrphans = "SELECT stop_reason FROM workers WHERE id::text = ANY (?)";
    List<String> reasons =
        await(
            () ->
                TwoReplicas.column(
                    survivor, ofOrphans + " AND stopped_at IS NOT NULL", array(orphaned)),
            ended -> ended.size() == orphaned.size(),
            Duration.ofSeconds(60));
    // A pass that failed (a deadlock, say) is retried by the next as the adopter's own worker.
    assertThat(reasons)
        .as("the dead replica's workers, ended by the survivor")
        .anySatisfy(reason -> assertThat(reason).contains("its replica " + doomedReplica));
    assertThat(
            TwoReplicas.column(
                survivor,
                "SELECT stop_reason FROM workers WHERE state = 'LOST' AND NOT id::text = ANY (?)",
                array(orphaned)))
        .as("other workers lost")
        .isEmpty();
    // Fenced: told to stop, the dead replica's worker processes end; none is left behind.
    await(() -> ProcessWorkerRuntime.processesOf(deadHome), List::isEmpty, Duration.ofSeconds(60));

    survivor.offboard("orphans");
  }

  /** A text[] parameter (typed Object, so that varargs pass it as one). */
  private static Object array(List<String> values) {
    return values.toArray(String[]::new);
  }

  /** Starts the second replica as a JVM of its own; returns its URL once it answers. */
  private URI startSecondReplica() throws IOException {
    Map<String, Object> properties = new HashMap<>(shared);
    properties.putAll(survivor.engines());
    properties.put("conductor.home", deadHome.toString());
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    properties.put("micronaut.server.port", port);
    properties.put("conductor.operations.poll-interval", "200ms");
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElseThrow());
    properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    command.add("dev.conductor.ConductorServer");
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("CLASSPATH", System.getProperty("java.class.path"));
    builder.redirectErrorStream(true);
    builder.redirectOutput(Files.createTempFile("conductor-replica", ".log").toFile());
    dead = builder.start();
    URI url = URI.create("http://127.0.0.1:" + port);
    await(() -> healthy(url), Boolean::booleanValue, Duration.ofSeconds(120));
    return url;
  }

  private boolean healthy(URI url) {
    if (!dead.isAlive()) {
      throw new AssertionError("the second replica exited: " + dead.exitValue());
    }
    try {
      return http.send(
                  HttpRequest.newBuilder(url.resolve("/health")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private String submit(URI url, String apiKey, String json) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url.resolve("/v1/jobs"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return Json.parse(response.body()).get("id").asText();
  }
}
