package dev.conductor.cli;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.ProvisionerGate;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * `tenants refresh`, `tenants update` and `operations cancel` against a real conductor that runs
 * one operation at a time and whose provisioning the test can hold after its first step ({@link
 * ProvisionerGate}), so that a cancel finds its operation still QUEUED or RUNNING however slow the
 * machine.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantOperationsCommandIT {

  @TempDir Path home;
  private RunningConductor conductor;
  private ProvisionerGate gate;
  private Map<String, String> env;

  @BeforeAll
  void start() {
    conductor =
        LiveConductor.start(
            Map.of(
                ProvisionerGate.PROPERTY,
                true,
                "conductor.operations.max-concurrent",
                1,
                // Lease renewals, which carry cancel requests, every 1.5 s.
                "conductor.operations.lease",
                "4500ms"));
    gate = ProvisionerGate.of(conductor);
  }

  @AfterAll
  void stop() throws IOException {
    LiveConductor.stop(conductor);
  }

  @BeforeEach
  void environment() {
    env = LiveConductor.environment(conductor, home);
    env.put("CONDUCTOR_TOKEN", conductor.adminToken());
  }

  @Test
  void refreshWaitShowsTheDriftAndLeavesTheTenantReady() throws SQLException {
    conductor.onboard("cli-refresh", "dev");
    try (Connection admin = conductor.superuserConnection();
        Statement statement = admin.createStatement()) {
      statement.execute("DROP DATABASE tenant_cli_refresh WITH (FORCE)");
    }

    CliRun refresh = CliRun.execute(env, "tenants", "refresh", "cli-refresh", "--wait");

    assertThat(refresh.exitCode()).as(refresh.toString()).isZero();
    assertThat(refresh.out())
        .startsWith("Refreshing tenant 'cli-refresh', operation ")
        .contains("WARN  database tenant_cli_refresh: missing")
        .contains("1 difference(s) from what provisioning made; reported, not repaired")
        .containsPattern("operation \\S+ succeeded");
    assertThat(conductor.tenant("cli-refresh").get("status").asText()).isEqualTo("READY");
    assertThat(CliRun.execute(env, "tenants", "refresh", "nobody").exitCode()).isEqualTo(3);
  }

  @Test
  void updateWaitMovesTheTenantToThePlanAndRefusesBadPlans() {
    conductor.onboard("cli-update", "dev");

    CliRun update =
        CliRun.execute(env, "tenants", "update", "cli-update", "--plan", "standard", "--wait");

    assertThat(update.exitCode()).as(update.toString()).isZero();
    assertThat(update.out())
        .startsWith("Updating tenant 'cli-update' to plan 'standard', operation ")
        .contains("plan dev → standard: ", "preview: no resource changes")
        .contains("tenant cli-update is READY on plan standard");
    assertThat(conductor.tenant("cli-update").get("plan").asText()).isEqualTo("standard");

    CliRun same = CliRun.execute(env, "tenants", "update", "cli-update", "--plan", "standard");
    assertThat(same.exitCode()).as(same.toString()).isZero();
    assertThat(same.out())
        .isEqualTo("Tenant 'cli-update' is already on plan 'standard': nothing to change.\n");
    CliRun unknown = CliRun.execute(env, "tenants", "update", "cli-update", "--plan", "gold");
    assertThat(unknown.exitCode()).isEqualTo(5);
    assertThat(unknown.err()).startsWith("error: unknown plan 'gold'").hasLineCount(1);
    assertThat(CliRun.execute(env, "tenants", "update", "cli-update").exitCode()).isEqualTo(2);
    assertThat(conductor.tenant("cli-update").get("plan").asText()).isEqualTo("standard");
  }

  @Test
  void updateDryRunShowsThePreviewAndChangesNothing() {
    conductor.onboard("cli-dry", "dev");

    CliRun dry =
        CliRun.execute(env, "tenants", "update", "cli-dry", "--plan", "standard", "--dry-run");

    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .startsWith("Previewing plan 'standard' for tenant 'cli-dry', operation ")
        .contains("plan dev → standard: ")
        .contains("preview: no resource changes")
        .contains("preview only: nothing was changed")
        .endsWith(" succeeded\n");
    assertThat(conductor.tenant("cli-dry").get("plan").asText()).isEqualTo("dev");
    assertThat(conductor.tenant("cli-dry").get("status").asText()).isEqualTo("READY");

    CliRun json =
        CliRun.execute(
            env, "tenants", "update", "cli-dry", "--plan", "standard", "--dry-run", "-o", "json");
    assertThat(json.exitCode()).as(json.toString()).isZero();
    assertThat(dev.conductor.testing.Json.parse(json.out()).get("kind").asText())
        .isEqualTo("PREVIEW");
  }

  @Test
  void cancelStopsQueuedAndRunningOperationsAndRefusesFinishedOnes() {
    // Held after its first step, the onboarding stays RUNNING until it is cancelled.
    gate.hold("cli-busy");
    String running = onboardingOperation("cli-busy");
    String queued = onboardingOperation("cli-queued");
    await(
        () -> conductor.operation(running).get("status").asText(),
        "RUNNING"::equals,
        LiveConductor.LIMIT);

    CliRun cancelQueued = CliRun.execute(env, "operations", "cancel", queued);

    assertThat(cancelQueued.exitCode()).as(cancelQueued.toString()).isZero();
    assertThat(cancelQueued.out()).isEqualTo("Operation " + queued + " is CANCELLED.\n");
    assertThat(conductor.tenant("cli-queued").get("status").asText()).isEqualTo("FAILED");

    CliRun cancelRunning = CliRun.execute(env, "operations", "cancel", running, "--wait");

    assertThat(cancelRunning.exitCode()).as(cancelRunning.toString()).isZero();
    assertThat(cancelRunning.out())
        .startsWith("Cancel of operation " + running + " requested")
        .contains("WARN  provision cancelled by operator")
        .endsWith("operation " + running + " cancelled\n");
    assertThat(conductor.tenant("cli-busy").get("error").asText())
        .isEqualTo("provisioning cancelled by operator");

    CliRun again = CliRun.execute(env, "operations", "cancel", queued);
    assertThat(again.exitCode()).isEqualTo(4);
    assertThat(again.err()).contains("already ended CANCELLED").hasLineCount(1);
    CliRun unknown =
        CliRun.execute(env, "operations", "cancel", "00000000-0000-0000-0000-000000000000");
    assertThat(unknown.exitCode()).isEqualTo(3);
    gate.release("cli-busy");
    CliRun waitedRetry = CliRun.execute(env, "tenants", "retry", "cli-busy", "--wait");
    assertThat(waitedRetry.exitCode()).as(waitedRetry.toString()).isZero();
  }

  @Test
  @Timeout(180)
  void showWaitFollowsTheOperationTheHintNamesUntilItSucceeds() throws Exception {
    gate.hold("cli-follow");
    CliRun create = CliRun.execute(env, "tenants", "create", "cli-follow");
    assertThat(create.exitCode()).as(create.toString()).isZero();
    String hint =
        create
            .out()
            .lines()
            .filter(l -> l.startsWith("Follow progress with: "))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no hint to follow progress: " + create));
    Matcher started = Pattern.compile("operation (\\S+)\\.").matcher(create.out());
    assertThat(started.find()).as(create.out()).isTrue();
    String operation = started.group(1);
    assertThat(hint)
        .isEqualTo("Follow progress with: conductor operations show " + operation + " --wait");
    await(
        () -> conductor.operation(operation).get("status").asText(),
        "RUNNING"::equals,
        LiveConductor.LIMIT);

    String[] command =
        hint.substring(hint.indexOf("conductor ") + "conductor ".length()).split(" ");
    CompletableFuture<CliRun> following =
        CompletableFuture.supplyAsync(() -> CliRun.execute(env, command));
    gate.release("cli-follow");
    CliRun followed = following.get(LiveConductor.LIMIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(followed.exitCode()).as(followed.toString()).isZero();
    assertThat(followed.out())
        .contains("INFO  ")
        .endsWith("operation " + operation + " succeeded\n");
    assertThat(conductor.tenant("cli-follow").get("status").asText()).isEqualTo("READY");

    CliRun ended =
        CliRun.execute(env, "operations", "show", operation, "--wait", "--output", "json");
    assertThat(ended.exitCode()).as(ended.toString()).isZero();
    assertThat(Json.parse(ended.out()).get("status").asText()).isEqualTo("SUCCEEDED");
    assertThat(ended.err()).endsWith("operation " + operation + " succeeded\n");
    CliRun unknown =
        CliRun.execute(env, "operations", "show", "00000000-0000-0000-0000-000000000000", "--wait");
    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(3);
  }

  @Test
  @Timeout(180)
  void showWaitExits1WhenTheOperationIsCancelledWhileItFollows() throws Exception {
    gate.hold("cli-follow-cancel");
    String operation = onboardingOperation("cli-follow-cancel");
    await(
        () -> conductor.operation(operation).get("status").asText(),
        "RUNNING"::equals,
        LiveConductor.LIMIT);
    Map<String, String> environment = Map.copyOf(env);
    CompletableFuture<CliRun> following =
        CompletableFuture.supplyAsync(
            () -> CliRun.execute(environment, "operations", "show", operation, "--wait"));

    var cancel = conductor.postJson("/v1/operations/" + operation + "/cancel", "{}");
    assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(202);
    CliRun followed = following.get(LiveConductor.LIMIT.toSeconds(), TimeUnit.SECONDS);
    gate.release("cli-follow-cancel");

    assertThat(followed.exitCode()).as(followed.toString()).isEqualTo(ExitCodes.OPERATION_FAILED);
    assertThat(followed.out()).contains("WARN  provision cancelled by operator");
    assertThat(followed.err())
        .isEqualTo(
            "error: operation "
                + operation
                + " was cancelled: provisioning cancelled by operator\n");
  }

  private String onboardingOperation(String name) {
    var created = conductor.postJson("/v1/tenants", "{\"name\":\"" + name + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
    return Json.parse(created.body()).get("operationId").asText();
  }
}
