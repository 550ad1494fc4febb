package dev.conductor.cli;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The job verbs against a real conductor's limits (a plan's queued-jobs quota and submit rate, the
 * cap on concurrent long-polls) and against a stored result too deeply nested to come as JSON.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class JobLimitsCommandIT {

  private static final int MAX_QUEUED = 3;
  private static final String ECHO = "{\"type\":\"echo\",\"payload\":{\"n\":1}}";

  @TempDir Path home;
  private RunningConductor conductor;
  // A one-slot tenant whose slot a long job holds: its other jobs stay QUEUED.
  private TenantApp busy;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor =
        LiveConductor.start(
            Map.of(
                "conductor.plans." + LiveConductor.ONE_SLOT + ".max-queued-jobs",
                MAX_QUEUED,
                "conductor.plans.dev.submit-rate",
                1,
                "conductor.plans.dev.submit-burst",
                1,
                "conductor.jobs.max-waits-per-tenant",
                1));
    busy = TenantApp.onboard(conductor, "cli-limits-busy", LiveConductor.ONE_SLOT);
    busy.awaitRunning(busy.submit(LiveConductor.BLOCKER));
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void environment() {
    env = LiveConductor.environment(conductor, home);
  }

  @Test
  void aSubmitOverTheQueuedJobsQuotaSaysSoAndWhenToRetry() {
    List<String> queued = new ArrayList<>();
    try {
      // Fill the quota: the blocker plus queued jobs, until the server refuses.
      HttpResponse<String> refused = null;
      for (int i = 0; i < MAX_QUEUED + 1 && refused == null; i++) {
        HttpResponse<String> response = conductor.postJob(busy.apiKey(), ECHO);
        if (response.statusCode() == 202) {
          queued.add(Json.parse(response.body()).get("id").asText());
        } else {
          refused = response;
        }
      }
      assertThat(refused).isNotNull();
      assertThat(refused.statusCode()).isEqualTo(429);

      CliRun run =
          CliRun.execute(
              env, "jobs", "submit", "--type", "echo", "--api-key", busy.apiKey(), "--wait");

      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TOO_MANY_REQUESTS);
      assertThat(run.err())
          .isEqualTo(
              "error: tenant 'cli-limits-busy' has "
                  + MAX_QUEUED
                  + " jobs that have not ended, the most plan one-slot allows; submit again once"
                  + " some have ended; retry in 5s\n");
      assertThat(run.out()).isEmpty();
    } finally {
      queued.forEach(this::cancel);
    }
  }

  @Test
  void aSubmitOverTheRateSaysSoAndWhenToRetry() {
    TenantApp rated = TenantApp.onboard(conductor, "cli-limits-rate", "dev");
    CliRun run = null;
    // One submission a second is allowed: back-to-back ones are refused within a few tries.
    for (int i = 0; i < 10; i++) {
      run = CliRun.execute(env, "jobs", "submit", "--type", "echo", "--api-key", rated.apiKey());
      if (run.exitCode() != 0) {
        break;
      }
    }

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.TOO_MANY_REQUESTS);
    assertThat(run.err())
        .isEqualTo(
            "error: tenant 'cli-limits-rate' submits faster than plan dev allows (1 jobs/s, bursts"
                + " of 1); retry in 1s\n");
    assertThat(run.out()).isEmpty();
  }

  /**
   * The tenant already holds as many long-polls as the server allows (one): {@code jobs show
   * --wait} keeps waiting through the server's 429s and ends with the job.
   */
  @Test
  void waitingRidesOutTheCapOnConcurrentLongPolls() throws Exception {
    String id = busy.submit(ECHO);
    AtomicReference<CompletableFuture<HttpResponse<String>>> holder = new AtomicReference<>();
    try {
      // The holder is waiting once another long-poll is refused; a probe that took the one slot
      // first got the holder refused instead: send it again.
      await(
          () -> {
            if (holder.get() == null || holder.get().isDone()) {
              holder.set(longPoll(id, "60s"));
            }
            return longPoll(id, "1s").join().statusCode();
          },
          status -> status == 429,
          LiveConductor.LIMIT);

      CompletableFuture<CliRun> waiting =
          CompletableFuture.supplyAsync(
              () -> CliRun.execute(env, "jobs", "show", id, "--wait", "--api-key", busy.apiKey()));
      // Refused every second meanwhile, the wait must go on, not fail.
      Awaitility.await()
          .during(Duration.ofSeconds(3))
          .atMost(LiveConductor.LIMIT)
          .pollInterval(Duration.ofMillis(100))
          .failFast("jobs show --wait ended while the cap is reached", waiting::isDone)
          .until(() -> !waiting.isDone());
      cancel(id);

      CliRun run = waiting.get(LiveConductor.LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OPERATION_FAILED);
      assertThat(run.err()).isEqualTo("error: job " + id + " was CANCELLED\n");
      assertThat(run.out())
          .startsWith("job " + id + " is QUEUED; waiting for it to end.\n")
          .contains("Status:        CANCELLED\n");
      assertThat(holder.get().get(LiveConductor.LIMIT.toSeconds(), TimeUnit.SECONDS).statusCode())
          .isEqualTo(200);
    } finally {
      cancel(id);
    }
  }

  @Test
  void aResultTooDeepForJsonIsShownAsItsText() throws Exception {
    TenantApp deep = TenantApp.onboard(conductor, "cli-limits-deep", "dev");
    String id = deep.submit(ECHO);
    deep.awaitEnded(id);
    String result = "[".repeat(80) + "1" + "]".repeat(80);
    try (Connection db = conductor.superuserConnection();
        PreparedStatement update = db.prepareStatement("UPDATE jobs SET result = ? WHERE id = ?")) {
      update.setString(1, result);
      update.setObject(2, UUID.fromString(id));
      assertThat(update.executeUpdate()).isEqualTo(1);
    }
    env.put("CONDUCTOR_API_KEY", deep.apiKey());

    CliRun show = CliRun.execute(env, "jobs", "show", id);
    CliRun list = CliRun.execute(env, "jobs", "list");
    CliRun json = CliRun.execute(env, "jobs", "show", id, "--output", "json");

    assertThat(show.exitCode()).as(show.toString()).isZero();
    assertThat(show.out()).endsWith("Result:        " + result + "\n");
    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains("[".repeat(57) + "...");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    JsonNode job = Json.parse(json.out());
    assertThat(job.has("result")).isFalse();
    assertThat(job.get("resultJson").asText()).isEqualTo(result);
  }

  private CompletableFuture<HttpResponse<String>> longPoll(String id, String wait) {
    return HttpClient.newHttpClient()
        .sendAsync(
            conductor.tenant(busy.apiKey(), "/v1/jobs/" + id + "?wait=" + wait).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private void cancel(String id) {
    conductor.send(conductor.tenant(busy.apiKey(), "/v1/jobs/" + id).DELETE());
  }
}
