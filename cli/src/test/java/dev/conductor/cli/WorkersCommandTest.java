package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The worker verbs against a fake conductor: operator token, paths and query. */
class WorkersCommandTest {

  private static final String WORKER = "9da062f4-737d-434f-9bb2-e2401cbd02ca";

  private FakeConductor fake;
  private Map<String, String> env;

  @BeforeEach
  void start() throws IOException {
    fake = FakeConductor.start();
    env =
        Map.of(
            "CONDUCTOR_HOME", "/nonexistent",
            "CONDUCTOR_URL", fake.url(),
            "CONDUCTOR_TOKEN", "operator",
            "CONDUCTOR_API_KEY", "ck_not_for_operator_verbs");
  }

  @AfterEach
  void stop() {
    fake.close();
  }

  @Test
  void listAsksForTheTenantsWorkersWithTheOperatorToken() {
    fake.answer(200, "[]");
    fake.answer(200, "[]");

    CliRun live = CliRun.execute(env, "workers", "list");
    CliRun all = CliRun.execute(env, "workers", "list", "--tenant", "acme corp", "--all");

    assertThat(live.exitCode()).isZero();
    assertThat(all.exitCode()).isZero();
    assertThat(fake.requests())
        .extracting(FakeConductor.Request::uri)
        .containsExactly("/v1/workers", "/v1/workers?tenant=acme%20corp&all=true");
    assertThat(fake.requests())
        .extracting(FakeConductor.Request::authorization)
        .containsOnly("Bearer operator");
    assertThat(live.out()).startsWith("No live workers");
  }

  @Test
  void drainPostsToTheWorkerAndSaysWhatHappensNext() {
    fake.answer(
        200,
        "{\"id\":\""
            + WORKER
            + "\",\"tenant\":\"acme\",\"state\":\"DRAINING\",\"inFlight\":2,\"capacity\":2,"
            + "\"generation\":3,\"stopReason\":\"drained by operator\"}");

    CliRun run = CliRun.execute(env, "workers", "drain", WORKER);

    assertThat(run.exitCode()).isZero();
    assertThat(fake.requests().get(0).method()).isEqualTo("POST");
    assertThat(fake.requests().get(0).uri()).isEqualTo("/v1/workers/" + WORKER + "/drain");
    assertThat(run.out())
        .isEqualTo(
            "Worker "
                + WORKER
                + " is DRAINING: it takes no new jobs, finishes its 2 in-flight job(s), then"
                + " stops.\n");
  }

  @Test
  void drainingAnUnknownWorkerIsNotFound() {
    fake.answer(404, "{\"status\":404,\"detail\":\"worker 'nope' not found\"}");

    CliRun run = CliRun.execute(env, "workers", "drain", "nope");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: worker 'nope' not found\n");
  }
}
