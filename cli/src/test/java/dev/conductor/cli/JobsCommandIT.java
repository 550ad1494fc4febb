package dev.conductor.cli;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The job verbs against a real conductor whose jobs run on real worker processes: what they print
 * and exit with, checked against what the server then holds.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JobsCommandIT {

  private static final Pattern SUBMITTED =
      Pattern.compile("^Job ([0-9a-f-]{36}) is QUEUED(\\.|; waiting for it to end\\.)\n");
  private static final String FAIL_BOOM =
      "{\"type\":\"fail\",\"payload\":{\"message\":\"boom\",\"retryable\":false}}";
  // The dev plan's payload limit, lowered so that a small payload is over it.
  private static final int MAX_PAYLOAD_BYTES = 64;

  @TempDir Path home;
  private RunningConductor conductor;
  private TenantApp app;
  // A one-slot tenant whose slot a long job holds: its other jobs stay QUEUED.
  private TenantApp busy;
  private String blocker;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor =
        LiveConductor.start(Map.of("conductor.plans.dev.max-payload-bytes", MAX_PAYLOAD_BYTES));
    app = TenantApp.onboard(conductor, "cli-jobs", "dev");
    busy = TenantApp.onboard(conductor, "cli-jobs-busy", LiveConductor.ONE_SLOT);
    blocker = busy.submit(LiveConductor.BLOCKER);
    busy.awaitRunning(blocker);
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void environment() {
    env = LiveConductor.environment(conductor, home);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"ms\": 500", "hello", "{} x", "", "  "})
  void invalidPayloadIsRefusedWithExit5BeforeAnyRequest(String payload) throws IOException {
    // Nothing listens there: any request would end in exit 8, not 5.
    env.put("CONDUCTOR_URL", "http://127.0.0.1:" + closedPort());

    CliRun run =
        CliRun.execute(
            env, "jobs", "submit", "--type", "sleep", "--payload", payload, "--api-key", "ck_1");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err().lines())
        .singleElement()
        .asString()
        .startsWith("error: --payload is ")
        .contains("'{\"ms\": 500}'");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void missingApiKeyIsAUsageErrorNamingBothSources() {
    // A real operator token: the verb must not fall back to it (the server would answer 401).
    env.put("CONDUCTOR_TOKEN", conductor.adminToken());

    CliRun run = CliRun.execute(env, "jobs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: no tenant API key: pass --api-key KEY or set CONDUCTOR_API_KEY"
                + " (see 'conductor jobs list --help')\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void theApiKeyFlagWinsOverTheEnvironment() {
    TenantApp other = TenantApp.onboard(conductor, "cli-jobs-other", "dev");
    String ours = app.submit("{\"type\":\"echo\",\"payload\":\"ours\"}");
    env.put("CONDUCTOR_API_KEY", other.apiKey());

    CliRun withFlag = CliRun.execute(env, "jobs", "show", ours, "--api-key", app.apiKey());
    CliRun withoutFlag = CliRun.execute(env, "jobs", "show", ours);

    assertThat(withFlag.exitCode()).as(withFlag.toString()).isZero();
    assertThat(withFlag.out()).startsWith("ID:            " + ours + "\n");
    // The other tenant's key sees none of our jobs.
    assertThat(withoutFlag.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(withoutFlag.err()).isEqualTo("error: job '" + ours + "' not found\n");
  }

  @Test
  void submitSendsTypePayloadAffinityAndIdempotencyKey() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    String[] submit = {
      "jobs",
      "submit",
      "--type",
      "echo",
      "--payload",
      "{\"hello\": \"world\"}",
      "--affinity",
      "proxy-eu",
      "--idempotency-key",
      "order-42"
    };

    CliRun run = CliRun.execute(env, submit);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String id = submittedId(run);
    assertThat(run.out()).isEqualTo("Job " + id + " is QUEUED.\n");
    JsonNode job = app.awaitEnded(id);
    assertThat(job.get("type").asText()).isEqualTo("echo");
    assertThat(job.get("affinityKey").asText()).isEqualTo("proxy-eu");
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    // echo's result is the payload the CLI sent.
    assertThat(job.get("result")).isEqualTo(Json.parse("{\"hello\":\"world\"}"));

    CliRun again = CliRun.execute(env, submit);

    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).isEqualTo("Job " + id + " is SUCCEEDED.\n");
  }

  @Test
  void submitWaitOfAnIdempotentJobThatHadEndedPrintsItAsItEnded() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    String id =
        submittedId(
            CliRun.execute(
                env,
                "jobs",
                "submit",
                "--type",
                "echo",
                "--payload",
                "{\"hello\": \"again\"}",
                "--idempotency-key",
                "order-43"));
    app.awaitEnded(id);

    CliRun again =
        CliRun.execute(
            env,
            "jobs",
            "submit",
            "--type",
            "echo",
            "--payload",
            "{\"hello\": \"again\"}",
            "--idempotency-key",
            "order-43",
            "--wait");

    assertThat(again.exitCode()).as(again.toString()).isZero();
    assertThat(again.out())
        .startsWith("Job " + id + " is SUCCEEDED; waiting for it to end.\n")
        .contains("ID:            " + id + "\n")
        .doesNotContain("Created:       -\n")
        .endsWith("Result:        {\"hello\":\"again\"}\n");
  }

  @Test
  void thePayloadDefaultsToNull() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());

    CliRun run = CliRun.execute(env, "jobs", "submit", "--type", "echo");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    JsonNode job = app.awaitEnded(submittedId(run));
    assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(job.path("result").isNull() || job.path("result").isMissingNode())
        .as(job.toString())
        .isTrue();
  }

  @Test
  void submitWaitFollowsTheJobToItsEndAndExits0WhenItSucceeded() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());

    CliRun run =
        CliRun.execute(
            env, "jobs", "submit", "--type", "sleep", "--payload", "{\"ms\": 500}", "--wait");

    assertThat(run.exitCode()).as(run.toString()).isZero();
    String id = submittedId(run);
    assertThat(run.out())
        .startsWith("Job " + id + " is QUEUED; waiting for it to end.\n")
        .contains("ID:            " + id + "\n")
        .contains("Status:        SUCCEEDED\n")
        .endsWith("Result:        {\"sleptMs\":500}\n");
    assertThat(run.err()).isEmpty();
    assertThat(app.job(id).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  @Test
  void theOperatorListsShowsAndReRunsATenantsFailedJobWithoutItsKey() {
    String failed = app.submit("{\"type\":\"fail\",\"payload\":{\"message\":\"declined\"}}");
    conductor.awaitJobEnded(app.apiKey(), failed, LiveConductor.LIMIT);
    env.put("CONDUCTOR_TOKEN", conductor.adminToken());

    CliRun list = CliRun.execute(env, "jobs", "list", "--tenant", "cli-jobs", "--status", "FAILED");
    CliRun show = CliRun.execute(env, "jobs", "show", failed, "--tenant", "cli-jobs");
    CliRun rerun = CliRun.execute(env, "jobs", "rerun", failed, "--tenant", "cli-jobs");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.out()).contains(failed).contains("declined");
    assertThat(show.out())
        .contains("Status:        FAILED\n")
        .contains("Error:         declined\n");
    assertThat(rerun.exitCode()).as(rerun.toString()).isZero();
    assertThat(rerun.out()).matches("Job " + failed + " re-run: Job \\S+ is QUEUED\\.\n");
    CliRun waiting = CliRun.execute(env, "jobs", "show", failed, "--tenant", "cli-jobs", "--wait");
    assertThat(waiting.exitCode()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void submitWaitExits1WithTheErrorWhenTheJobFailed() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());

    CliRun run =
        CliRun.execute(
            env,
            "jobs",
            "submit",
            "--type",
            "fail",
            "--payload",
            "{\"message\": \"boom\", \"retryable\": false}",
            "--wait");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OPERATION_FAILED);
    String id = submittedId(run);
    assertThat(run.out()).contains("Status:        FAILED\n").contains("Error:         boom\n");
    assertThat(run.err()).isEqualTo("error: job " + id + " ended FAILED: boom\n");
  }

  @Test
  void submitWaitAsJsonExits1WhenTheJobIsCancelledWhileItWaits() throws Exception {
    env.put("CONDUCTOR_API_KEY", busy.apiKey());
    Map<String, String> environment = Map.copyOf(env);
    CompletableFuture<CliRun> waiting =
        CompletableFuture.supplyAsync(
            () ->
                CliRun.execute(
                    environment,
                    "jobs",
                    "submit",
                    "--type",
                    "echo",
                    "--affinity",
                    "cancelled-while-waiting",
                    "--wait",
                    "--output",
                    "json"));
    String id =
        await(
            () -> {
              if (waiting.isDone()) {
                throw new AssertionError(
                    "the CLI ended before the job was cancelled: " + waiting.join());
              }
              return busy.queuedJob("cancelled-while-waiting");
            },
            Objects::nonNull,
            LiveConductor.LIMIT);

    assertThat(
            conductor.send(conductor.tenant(busy.apiKey(), "/v1/jobs/" + id).DELETE()).statusCode())
        .isEqualTo(200);
    CliRun run = waiting.get(LiveConductor.LIMIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.OPERATION_FAILED);
    JsonNode job = Json.parse(run.out());
    assertThat(job.get("id").asText()).isEqualTo(id);
    assertThat(job.get("status").asText()).isEqualTo("CANCELLED");
    assertThat(run.err()).isEqualTo("error: job " + id + " was CANCELLED\n");
  }

  @Test
  void showWithoutWaitPrintsTheJobOnceWhateverItsStatus() {
    env.put("CONDUCTOR_API_KEY", busy.apiKey());
    String worker = busy.job(blocker).get("workerId").asText();

    CliRun running = CliRun.execute(env, "jobs", "show", blocker);

    assertThat(running.exitCode()).as(running.toString()).isZero();
    assertThat(running.out())
        .startsWith("ID:            " + blocker + "\n")
        .contains("Status:        RUNNING\n")
        .contains("Worker:        " + worker + "\n");

    String failed = app.submit(FAIL_BOOM);
    app.awaitEnded(failed);
    env.put("CONDUCTOR_API_KEY", app.apiKey());

    CliRun ended = CliRun.execute(env, "jobs", "show", failed);

    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(ended.out()).contains("Status:        FAILED\n").contains("Error:         boom\n");
  }

  @Test
  void showWaitFollowsAJobToItsEndAndExitsByHowItEnded() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    String sleeping = app.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":300}}");

    CliRun followed = CliRun.execute(env, "jobs", "show", sleeping, "--wait");

    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.out())
        .contains("Status:        SUCCEEDED\n")
        .endsWith("Result:        {\"sleptMs\":300}\n");

    String failed = app.submit(FAIL_BOOM);
    app.awaitEnded(failed);

    CliRun ended = CliRun.execute(env, "jobs", "show", failed, "--wait");

    assertThat(ended.exitCode()).isEqualTo(ExitCodes.OPERATION_FAILED);
    // Already ended: no "waiting" line, the job at once.
    assertThat(ended.out()).startsWith("ID:            " + failed + "\n");
    assertThat(ended.err()).isEqualTo("error: job " + failed + " ended FAILED: boom\n");
  }

  @Test
  void listFiltersByStatusAndSaysHowToGetTheNextPage() {
    TenantApp lister = TenantApp.onboard(conductor, "cli-jobs-list", "dev");
    String first = lister.submit("{\"type\":\"echo\",\"payload\":1}");
    String second = lister.submit("{\"type\":\"echo\",\"payload\":2}");
    String failed = lister.submit(FAIL_BOOM);
    for (String id : new String[] {first, second, failed}) {
      lister.awaitEnded(id);
    }
    env.put("CONDUCTOR_API_KEY", lister.apiKey());

    CliRun page1 = CliRun.execute(env, "jobs", "list", "--status", "succeeded", "--limit", "1");

    assertThat(page1.exitCode()).as(page1.toString()).isZero();
    Matcher more =
        Pattern.compile(
                "\nMore: conductor jobs list --cursor (\\S+) --status SUCCEEDED --limit 1\n$")
            .matcher(page1.out());
    assertThat(more.find()).as(page1.out()).isTrue();
    assertThat(page1.out()).doesNotContain(failed).contains("SUCCEEDED");

    CliRun page2 =
        CliRun.execute(
            env,
            "jobs",
            "list",
            "--cursor",
            more.group(1),
            "--status",
            "SUCCEEDED",
            "--limit",
            "1");

    assertThat(page2.exitCode()).as(page2.toString()).isZero();
    assertThat(page2.out()).doesNotContain(failed).doesNotContain("More:");
    // One succeeded job on each page, newest first.
    if (page1.out().contains(second)) {
      assertThat(page1.out()).doesNotContain(first);
      assertThat(page2.out()).contains(first).doesNotContain(second);
    } else {
      assertThat(page1.out()).contains(first);
      assertThat(page2.out()).contains(second).doesNotContain(first);
    }
  }

  @Test
  void anUnknownStatusIsAUsageErrorListingTheValidOnes() {
    CliRun run = CliRun.execute(env, "jobs", "list", "--status", "DONE", "--api-key", "k");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("SUCCEEDED").contains("CANCELLED");
  }

  @Test
  void cancelCancelsAQueuedJob() {
    String queued = busy.submit("{\"type\":\"echo\",\"affinityKey\":\"to-cancel\"}");
    env.put("CONDUCTOR_API_KEY", busy.apiKey());

    CliRun run = CliRun.execute(env, "jobs", "cancel", queued);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out()).isEqualTo("Job " + queued + " is CANCELLED.\n");
    assertThat(busy.job(queued).get("status").asText()).isEqualTo("CANCELLED");
  }

  @Test
  void cancellingAJobThatAlreadyRanIsAConflict() {
    env.put("CONDUCTOR_API_KEY", busy.apiKey());

    CliRun run = CliRun.execute(env, "jobs", "cancel", blocker);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err())
        .isEqualTo("error: job " + blocker + " is RUNNING; only QUEUED jobs can be cancelled\n");
    assertThat(busy.job(blocker).get("status").asText()).isEqualTo("RUNNING");
  }

  @Test
  void aRefusedKeyHintsAtTheApiKeyNotTheOperatorToken() {
    env.put("CONDUCTOR_API_KEY", "ck_revoked");
    env.put("CONDUCTOR_TOKEN", conductor.adminToken());

    CliRun run = CliRun.execute(env, "jobs", "show", blocker);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid or revoked API key; pass --api-key or set CONDUCTOR_API_KEY to the"
                + " tenant's API key\n");
  }

  @Test
  void aPayloadOverThePlansLimitIsAnInvalidRequest() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());
    String payload = "\"" + "x".repeat(100) + "\"";

    CliRun run = CliRun.execute(env, "jobs", "submit", "--type", "echo", "--payload", payload);

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err())
        .isEqualTo("error: payload is 102 bytes; plan dev allows " + MAX_PAYLOAD_BYTES + "\n");
    assertThat(run.out()).isEmpty();
  }

  @Test
  void aLocationIsSentAndOneTheRuntimeDoesNotServeIsRefusedStoringNothing() {
    env.put("CONDUCTOR_API_KEY", app.apiKey());

    CliRun located =
        CliRun.execute(
            env,
            "jobs",
            "submit",
            "--type",
            "echo",
            "--location",
            "eu",
            "--idempotency-key",
            "located-1");

    assertThat(located.exitCode()).as(located.toString()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(located.err())
        .isEqualTo(
            "error: location 'eu' is not served here: runtime 'process' serves no locations\n");
    assertThat(located.out()).isEmpty();
    // Nothing was stored under the key: the same key without a location makes a new job.
    CliRun anywhere =
        CliRun.execute(env, "jobs", "submit", "--type", "echo", "--idempotency-key", "located-1");
    assertThat(anywhere.exitCode()).as(anywhere.toString()).isZero();
    assertThat(app.awaitEnded(submittedId(anywhere)).get("status").asText()).isEqualTo("SUCCEEDED");
  }

  private static String submittedId(CliRun run) {
    Matcher matcher = SUBMITTED.matcher(run.out());
    assertThat(matcher.find()).as(run.toString()).isTrue();
    return matcher.group(1);
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
