package dev.conductor.cli;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The worker verbs against a real conductor and the worker processes it starts: the operator token,
 * the tenant filter, ended workers and draining.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkersCommandIT {

  @TempDir Path home;
  private RunningConductor conductor;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor = LiveConductor.start(Map.of());
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void environment() {
    env = LiveConductor.environment(conductor, home);
    env.put("CONDUCTOR_TOKEN", conductor.adminToken());
    // The operator verbs must not send it (the server would answer 401).
    env.put("CONDUCTOR_API_KEY", "ck_not_for_operator_verbs");
  }

  @Test
  void listShowsLiveWorkersWithTheOperatorTokenFilteredByTenant() {
    String workerA =
        busyWorker(TenantApp.onboard(conductor, "cli-workers-a", LiveConductor.ONE_SLOT));
    String workerB =
        busyWorker(TenantApp.onboard(conductor, "cli-workers-b", LiveConductor.ONE_SLOT));

    CliRun live = CliRun.execute(env, "workers", "list");
    CliRun ofA = CliRun.execute(env, "workers", "list", "--tenant", "cli-workers-a");

    assertThat(live.exitCode()).as(live.toString()).isZero();
    assertThat(live.out())
        .startsWith("ID ")
        .contains(
            "TENANT", "KEY", "LOCATION", "STATE", "IN-FLIGHT/CAPACITY", "GENERATION", "STARTED")
        .doesNotContain("REASON");
    assertThat(row(live.out(), workerA))
        .startsWith(workerA, "cli-workers-a", "-", "-", "READY", "1/1");
    assertThat(row(live.out(), workerB))
        .startsWith(workerB, "cli-workers-b", "-", "-", "READY", "1/1");
    assertThat(ofA.exitCode()).as(ofA.toString()).isZero();
    assertThat(ofA.out().lines()).hasSize(2);
    assertThat(row(ofA.out(), workerA))
        .startsWith(workerA, "cli-workers-a", "-", "-", "READY", "1/1");
  }

  @Test
  void listAllAddsTheWorkersThatEndedWithTheirReason() {
    TenantApp idle = TenantApp.onboard(conductor, "cli-workers-idle", "dev");
    String id = idle.submit("{\"type\":\"echo\",\"payload\":\"hi\"}");
    String worker = idle.awaitEnded(id).get("workerId").asText();
    // The dev plan's idle timeout here is 3 s: the worker is torn down.
    JsonNode ended =
        await(
            () -> workerView("cli-workers-idle", worker),
            view -> Set.of("STOPPED", "LOST").contains(view.path("state").asText()),
            LiveConductor.LIMIT);
    assertThat(ended.get("state").asText()).as(ended.toString()).isEqualTo("STOPPED");

    CliRun live = CliRun.execute(env, "workers", "list", "--tenant", "cli-workers-idle");
    CliRun all = CliRun.execute(env, "workers", "list", "--tenant", "cli-workers-idle", "--all");

    assertThat(live.exitCode()).as(live.toString()).isZero();
    assertThat(live.out())
        .isEqualTo("No live workers: they start when jobs arrive and stop when idle.\n");
    assertThat(all.exitCode()).as(all.toString()).isZero();
    assertThat(all.out().lines().findFirst().orElseThrow()).endsWith("REASON");
    assertThat(row(all.out(), worker))
        .startsWith(worker, "cli-workers-idle", "-", "-", "STOPPED", "0/2")
        .endsWith("idle");
  }

  @Test
  void aTenantsApiKeyIsNotTheOperatorToken() {
    TenantApp tenant = TenantApp.onboard(conductor, "cli-workers-key", "dev");
    env.put("CONDUCTOR_TOKEN", tenant.apiKey());

    CliRun run = CliRun.execute(env, "workers", "list");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.UNAUTHORIZED);
    assertThat(run.err())
        .isEqualTo(
            "error: invalid admin token; pass --token or set CONDUCTOR_TOKEN to the operator"
                + " token\n");
  }

  @Test
  void listingAnUnknownTenantIsNotFound() {
    CliRun run = CliRun.execute(env, "workers", "list", "--tenant", "acme corp", "--all");

    assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: tenant 'acme corp' not found\n");
  }

  @Test
  void drainStopsGivingTheWorkerJobsAndSaysWhatHappensNext() {
    TenantApp tenant = TenantApp.onboard(conductor, "cli-workers-drain", LiveConductor.ONE_SLOT);
    String worker = busyWorker(tenant);

    CliRun run = CliRun.execute(env, "workers", "drain", worker);

    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.out())
        .isEqualTo(
            "Worker "
                + worker
                + " is DRAINING: it takes no new jobs, finishes its 1 in-flight job(s), then"
                + " stops.\n");
    // The tenant's only slot is on the draining worker: the next job gets a worker of its own.
    JsonNode next = tenant.awaitEnded(tenant.submit("{\"type\":\"echo\",\"payload\":1}"));
    assertThat(next.get("status").asText()).isEqualTo("SUCCEEDED");
    String replacement = next.get("workerId").asText();
    assertThat(replacement).isNotEqualTo(worker);

    CliRun list = CliRun.execute(env, "workers", "list", "--tenant", "cli-workers-drain");

    assertThat(row(list.out(), worker))
        .startsWith(worker, "cli-workers-drain", "-", "-", "DRAINING", "1/1");
    assertThat(row(list.out(), replacement))
        .startsWith(replacement, "cli-workers-drain", "-", "-", "READY", "0/1");
  }

  @Test
  void showPrintsOneWorkerWithWhereItRunsAndAnUnknownOneIsNotFound() {
    String worker =
        busyWorker(TenantApp.onboard(conductor, "cli-workers-show", LiveConductor.ONE_SLOT));

    CliRun shown = CliRun.execute(env, "workers", "show", worker);
    CliRun json = CliRun.execute(env, "workers", "show", worker, "--output", "json");
    CliRun unknown = CliRun.execute(env, "workers", "show", "nope");

    assertThat(shown.exitCode()).as(shown.toString()).isZero();
    // Processes run where the conductor does: no location, and no egress address to tell.
    assertThat(shown.out().lines())
        .contains(
            "ID:                  " + worker,
            "Tenant:              cli-workers-show",
            "Location:            -",
            "Egress:              -",
            "State:               READY",
            "In-flight/capacity:  1/1");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(json.out()).contains("\"id\" : \"" + worker + "\"").doesNotContain("egressAddress");
    assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).isEqualTo("error: worker 'nope' not found\n");
  }

  @Test
  void drainingAnUnknownWorkerIsNotFound() {
    String unknown = UUID.randomUUID().toString();

    CliRun notAnId = CliRun.execute(env, "workers", "drain", "nope");
    CliRun notAWorker = CliRun.execute(env, "workers", "drain", unknown);

    assertThat(notAnId.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(notAnId.err()).isEqualTo("error: worker 'nope' not found\n");
    assertThat(notAWorker.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(notAWorker.err()).isEqualTo("error: worker '" + unknown + "' not found\n");
  }

  @Test
  void logsShowAWorkersOutputWhileItRunsAndAfterItEnded() {
    TenantApp tenant = TenantApp.onboard(conductor, "cli-workers-logs", "dev");
    // Long enough to read a live worker's log; then the dev plan's 3 s idle timeout ends it.
    String id = tenant.submit("{\"type\":\"sleep\",\"payload\":{\"ms\":3000}}");
    String worker = tenant.awaitRunning(id).get("workerId").asText();
    String ready = "ready workerId=" + worker;

    // The worker logs "ready" just after it subscribes: its job may be running a moment before.
    CliRun live =
        await(
            () -> CliRun.execute(env, "workers", "logs", worker),
            run -> run.out().contains(ready),
            LiveConductor.LIMIT);
    assertThat(live.exitCode()).as(live.toString()).isZero();

    tenant.awaitEnded(id);
    await(
        () -> workerView("cli-workers-logs", worker).path("state").asText(),
        state -> Set.of("STOPPED", "LOST").contains(state),
        LiveConductor.LIMIT);
    CliRun ended = CliRun.execute(env, "workers", "logs", worker);
    CliRun last = CliRun.execute(env, "workers", "logs", worker, "--tail", "1");

    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(ended.out()).contains(ready, "stopped workerId=" + worker);
    assertThat(last.exitCode()).as(last.toString()).isZero();
    assertThat(last.out().lines()).hasSize(1);
    assertThat(ended.out()).endsWith(last.out());
  }

  @Test
  void logsOfAnUnknownWorkerAreNotFound() {
    String unknown = UUID.randomUUID().toString();

    CliRun run = CliRun.execute(env, "workers", "logs", unknown);

    assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(run.err()).isEqualTo("error: worker '" + unknown + "' not found\n");
    assertThat(run.out()).isEmpty();
  }

  /** Occupies the tenant's one slot with a long job; returns the worker running it. */
  private static String busyWorker(TenantApp tenant) {
    String blocker = tenant.submit(LiveConductor.BLOCKER);
    return tenant.awaitRunning(blocker).get("workerId").asText();
  }

  private JsonNode workerView(String tenant, String id) {
    JsonNode workers =
        Json.parse(conductor.get("/v1/workers?tenant=" + tenant + "&all=true").body());
    return StreamSupport.stream(workers.spliterator(), false)
        .filter(worker -> id.equals(worker.path("id").asText()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no worker " + id + " in " + workers));
  }

  /** The cells of the table row of this worker. */
  private static List<String> row(String table, String id) {
    return table
        .lines()
        .filter(line -> line.startsWith(id + " "))
        .map(line -> List.of(line.strip().split("\\s+")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no row for " + id + " in:\n" + table));
  }
}
