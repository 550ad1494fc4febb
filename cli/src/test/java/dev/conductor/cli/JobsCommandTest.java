package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The job verbs against a fake conductor: what they send, print and exit with. */
class JobsCommandTest {

  private static final String ID = "3f6c1a52-0d4e-4c0e-9a51-2f1e6c1b7a10";
  private static final String WORKER = "9da062f4-737d-434f-9bb2-e2401cbd02ca";

  private FakeConductor fake;
  private final Map<String, String> env = new HashMap<>();

  @BeforeEach
  void start() throws IOException {
    fake = FakeConductor.start();
    env.put("CONDUCTOR_HOME", "/nonexistent");
    env.put("CONDUCTOR_URL", fake.url());
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"ms\": 500", "hello", "{} x", "", "  "})
  void invalidPayloadIsRefusedWithExit5BeforeAnyRequest(String payload) throws IOException {
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
    env.put("CONDUCTOR_TOKEN", "operator-token-is-not-a-tenant-key");

    CliRun run = CliRun.execute(env, "jobs", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .isEqualTo(
            "error: no tenant API key: pass --api-key KEY or set CONDUCTOR_API_KEY"
                + " (see 'conductor jobs list --help')\n");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void theApiKeyFlagWinsOverTheEnvironment() {
    env.put("CONDUCTOR_API_KEY", "ck_from_env");
    fake.answer(200, "{\"items\":[],\"nextCursor\":null}");
    fake.answer(200, "{\"items\":[],\"nextCursor\":null}");

    assertThat(CliRun.execute(env, "jobs", "list", "--api-key", "ck_from_flag").exitCode())
        .isZero();
    assertThat(CliRun.execute(env, "jobs", "list").exitCode()).isZero();

    assertThat(fake.requests())
        .extracting(FakeConductor.Request::authorization)
        .containsExactly("Bearer ck_from_flag", "Bearer ck_from_env");
  }

  @Test
  void submitSendsTypePayloadAffinityAndIdempotencyKey() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}");

    CliRun run =
        CliRun.execute(
            env,
            "jobs",
            "submit",
            "--type",
            "sleep",
            "--payload",
            "{\"ms\": 500}",
            "--affinity",
            "proxy-eu",
            "--idempotency-key",
            "order-42");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("Job " + ID + " is QUEUED.\n");
    FakeConductor.Request request = fake.requests().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.uri()).isEqualTo("/v1/jobs");
    assertThat(Json.parse(request.body()))
        .isEqualTo(
            Json.parse(
                "{\"type\":\"sleep\",\"payload\":{\"ms\":500},\"affinityKey\":\"proxy-eu\","
                    + "\"idempotencyKey\":\"order-42\"}"));
  }

  @Test
  void thePayloadDefaultsToNull() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}");

    CliRun.execute(env, "jobs", "submit", "--type", "echo");

    assertThat(Json.parse(fake.requests().get(0).body()))
        .isEqualTo(Json.parse("{\"type\":\"echo\",\"payload\":null}"));
  }

  @Test
  void submitWaitLongPollsUntilTheJobEndsAndExits0WhenItSucceeded() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}")
        .answer(200, job("RUNNING", null, null))
        .answer(200, job("SUCCEEDED", "{\"sleptMs\":500}", null));

    CliRun run = CliRun.execute(env, "jobs", "submit", "--type", "sleep", "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests())
        .extracting(FakeConductor.Request::uri)
        .containsExactly(
            "/v1/jobs", "/v1/jobs/" + ID + "?wait=30s", "/v1/jobs/" + ID + "?wait=30s");
    assertThat(run.out())
        .startsWith("Job " + ID + " is QUEUED; waiting for it to end.\n")
        .contains("job " + ID + " is RUNNING on worker " + WORKER + "\n")
        .contains("Status:        SUCCEEDED\n")
        .endsWith("Result:        {\"sleptMs\":500}\n");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void submitWaitExits1WithTheErrorWhenTheJobFailed() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}")
        .answer(200, job("FAILED", null, "boom"));

    CliRun run = CliRun.execute(env, "jobs", "submit", "--type", "fail", "--wait");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OPERATION_FAILED);
    assertThat(run.out()).contains("Status:        FAILED\n").contains("Error:         boom\n");
    assertThat(run.err()).isEqualTo("error: job " + ID + " ended FAILED: boom\n");
  }

  @Test
  void submitWaitAsJsonPrintsOnlyTheEndedJobOnStdout() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(202, "{\"id\":\"" + ID + "\",\"status\":\"QUEUED\"}")
        .answer(200, job("RUNNING", null, null))
        .answer(200, job("CANCELLED", null, null));

    CliRun run =
        CliRun.execute(env, "jobs", "submit", "--type", "echo", "--wait", "--output", "json");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.OPERATION_FAILED);
    assertThat(Json.parse(run.out()).get("status").asText()).isEqualTo("CANCELLED");
    assertThat(run.err())
        .isEqualTo(
            "job "
                + ID
                + " is RUNNING on worker "
                + WORKER
                + "\nerror: job "
                + ID
                + " was CANCELLED\n");
  }

  @Test
  void showWithoutWaitPrintsTheJobOnceWhateverItsStatus() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(200, job("FAILED", null, "boom"));

    CliRun run = CliRun.execute(env, "jobs", "show", ID);

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests())
        .extracting(FakeConductor.Request::uri)
        .containsExactly("/v1/jobs/" + ID);
    assertThat(run.out()).contains("Error:         boom");
  }

  @Test
  void showWaitOnAnEndedJobDoesNotPoll() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(200, job("SUCCEEDED", "42", null));

    CliRun run = CliRun.execute(env, "jobs", "show", ID, "--wait");

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests()).hasSize(1);
    assertThat(run.out()).startsWith("ID:            " + ID + "\n");
  }

  @Test
  void listPassesFiltersAndSaysHowToGetTheNextPage() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(200, "{\"items\":[" + job("SUCCEEDED", "1", null) + "],\"nextCursor\":\"abc\"}");

    CliRun run =
        CliRun.execute(
            env, "jobs", "list", "--status", "succeeded", "--limit", "1", "--cursor", "x=");

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests().get(0).uri())
        .isEqualTo("/v1/jobs?status=SUCCEEDED&limit=1&cursor=x%3D");
    assertThat(run.out())
        .endsWith("\nMore: conductor jobs list --cursor abc --status SUCCEEDED --limit 1\n");
  }

  @Test
  void anUnknownStatusIsAUsageErrorListingTheValidOnes() {
    CliRun run = CliRun.execute(env, "jobs", "list", "--status", "DONE", "--api-key", "k");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("SUCCEEDED").contains("CANCELLED");
    assertThat(fake.requests()).isEmpty();
  }

  @Test
  void cancelDeletesTheJob() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(200, job("CANCELLED", null, null));

    CliRun run = CliRun.execute(env, "jobs", "cancel", ID);

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests().get(0).method()).isEqualTo("DELETE");
    assertThat(run.out()).isEqualTo("Job " + ID + " is CANCELLED.\n");
  }

  @Test
  void cancellingAJobThatAlreadyRanIsAConflict() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(409, "{\"status\":409,\"detail\":\"job " + ID + " is RUNNING, not QUEUED\"}");

    CliRun run = CliRun.execute(env, "jobs", "cancel", ID);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFLICT);
    assertThat(run.err()).isEqualTo("error: job " + ID + " is RUNNING, not QUEUED\n");
  }

  @Test
  void aRefusedKeyHintsAtTheApiKeyNotTheOperatorToken() {
    env.put("CONDUCTOR_API_KEY", "ck_revoked");
    fake.answer(401, "{\"status\":401,\"detail\":\"invalid or revoked API key\"}");

    CliRun run = CliRun.execute(env, "jobs", "show", ID);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid or revoked API key; pass --api-key or set CONDUCTOR_API_KEY to the"
                + " tenant's API key\n");
  }

  @Test
  void aPayloadOverThePlansLimitIsAnInvalidRequest() {
    env.put("CONDUCTOR_API_KEY", "ck_1");
    fake.answer(
        413, "{\"status\":413,\"detail\":\"payload is 70000 bytes; plan dev allows 65536\"}");

    CliRun run = CliRun.execute(env, "jobs", "submit", "--type", "echo", "--payload", "\"x\"");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_REQUEST);
    assertThat(run.err()).startsWith("error: payload is 70000 bytes");
  }

  private static String job(String status, String result, String error) {
    return "{\"id\":\""
        + ID
        + "\",\"type\":\"sleep\",\"status\":\""
        + status
        + "\",\"affinityKey\":\"proxy-eu\",\"workerId\":\""
        + WORKER
        + "\",\"attempts\":1"
        + (result == null ? "" : ",\"result\":" + result)
        + (error == null ? "" : ",\"error\":\"" + error + "\"")
        + ",\"createdAt\":\"2025-11-21T10:00:00Z\"}";
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
