package dev.conductor.job;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/** {@code GET /v1/jobs/{id}?wait=}: woken when the job ends, on any replica, holding no thread. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JobLongPollIT {
  private static final int WAITERS = 200;
  private static final int BATCH = 10;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.jobs.max-waits-per-tenant", WAITERS + 10);
    conductor = RunningConductor.start(properties);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void aLongPollReturnsWhenItsJobEnds() {
    String key = conductor.onboard("patient", "dev");
    String id = conductor.submitJob(key, "{\"type\":\"sleep\",\"payload\":{\"ms\":1500}}");
    HttpResponse<String> response =
        conductor.send(conductor.tenant(key, "/v1/jobs/" + id + "?wait=60s").GET());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Json.parse(response.body()).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  /**
   * Hundreds of long-polls wait on a running job, then another replica (here: a direct update of
   * its row) ends it: every one is woken with the end, and none held a thread meanwhile.
   */
  @Test
  void waitersCostNoThreadAndAreWokenByAnEndOnAnyReplica() throws Exception {
    String key = conductor.onboard("crowd", "dev");
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    UUID tenant = conductor.tenantId("crowd");
    // Its worker started and running, so that no thread of that start is counted below.
    RunningConductor.await(
        () -> conductor.job(key, id).path("status").asText(),
        "RUNNING"::equals,
        Duration.ofSeconds(60));
    JobWaits waits = conductor.server().context().getBean(JobWaits.class);
    ExecutorService clientThreads = Executors.newFixedThreadPool(2);
    try {
      HttpClient client = HttpClient.newBuilder().executor(clientThreads).build();
      client.send(
          conductor.tenant(key, "/v1/jobs/" + id).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
      int before = threadBean.getThreadCount();
      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      // In batches, so that the server's request threads are reused between them: what is
      // measured is what waiting holds, not how many requests arrived at one instant.
      for (int batch = 0; batch < WAITERS / BATCH; batch++) {
        for (int i = 0; i < BATCH; i++) {
          responses.add(
              client.sendAsync(
                  conductor.tenant(key, "/v1/jobs/" + id + "?wait=60s").GET().build(),
                  HttpResponse.BodyHandlers.ofString()));
        }
        int sent = responses.size();
        RunningConductor.await(
            () -> waits.waiting(tenant), count -> count == sent, Duration.ofSeconds(30));
      }
      int during = threadBean.getThreadCount();
      assertThat(during - before)
          .as("threads added by %d waiters", WAITERS)
          .isLessThan(WAITERS / 4);
      assertThat(responses).noneMatch(CompletableFuture::isDone);

      cancelBehindTheConductorsBack(id);
      for (CompletableFuture<HttpResponse<String>> response : responses) {
        HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.parse(answer.body()).get("status").asText()).isEqualTo("CANCELLED");
      }
      assertThat(waits.waiting(tenant)).isZero();
    } finally {
      clientThreads.shutdownNow();
      conductor.offboard("crowd");
    }
  }

  /** The listening connection dies (a killed backend, a failover): waiters still hear the end. */
  @Test
  void waitersAreWokenAfterTheListeningConnectionIsLost() throws Exception {
    String key = conductor.onboard("resilient", "dev");
    String id = conductor.submitJob(key, RunningConductor.LONG_JOB);
    UUID tenant = conductor.tenantId("resilient");
    JobWaits waits = conductor.server().context().getBean(JobWaits.class);
    try {
      CompletableFuture<HttpResponse<String>> response =
          HttpClient.newHttpClient()
              .sendAsync(
                  conductor.tenant(key, "/v1/jobs/" + id + "?wait=60s").GET().build(),
                  HttpResponse.BodyHandlers.ofString());
      RunningConductor.await(
          () -> waits.waiting(tenant), count -> count == 1, Duration.ofSeconds(30));
      try (Connection db = conductor.superuserConnection();
          PreparedStatement kill =
              db.prepareStatement(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE application_name = 'conductor-notifications'");
          ResultSet killed = kill.executeQuery()) {
        killed.next();
        assertThat(killed.getInt(1)).isEqualTo(1);
      }
      cancelBehindTheConductorsBack(id);
      HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(Json.parse(answer.body()).get("status").asText()).isEqualTo("CANCELLED");
    } finally {
      conductor.offboard("resilient");
    }
  }

  @Test
  void aWaitThatIsNotADurationIs400() {
    String key = conductor.onboard("impatient", "dev");
    String job = "/v1/jobs/00000000-0000-0000-0000-000000000000?wait=";
    for (String wait :
        new String[] {"9223372036854775807m", "99999999999999999999ms", "soon", "-5s", "5h"}) {
      JsonNode problem =
          assertProblem(conductor.send(conductor.tenant(key, job + wait).GET()), 400);
      assertThat(problem.get("detail").asText()).contains("wait");
    }
  }

  /** Ends a job with a plain UPDATE, as another replica would: only the trigger can tell. */
  private void cancelBehindTheConductorsBack(String id) throws Exception {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement end =
            db.prepareStatement(
                "UPDATE jobs SET status = 'CANCELLED', finished_at = now(), updated_at = now()"
                    + " WHERE id = ?")) {
      end.setObject(1, UUID.fromString(id));
      assertThat(end.executeUpdate()).isEqualTo(1);
    }
  }
}
