package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.resources.ComponentResource;
import com.pulumi.resources.ComponentResourceOptions;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.RecordingProgress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@code pulumi up}, refresh and destroy of a provider-free program (component resources and
 * outputs only) on a local file backend. Needs the Pulumi CLI on PATH; skipped, with the reason,
 * where there is none.
 */
class PulumiUpAndDestroyTest {
  @TempDir Path home;

  @BeforeEach
  void pulumiOnPath() {
    String why = null;
    try {
      PulumiCli.locate(System.getenv("PATH"));
    } catch (ProvisioningException e) {
      why = e.getMessage();
    }
    assumeTrue(why == null, "needs a Pulumi CLI: " + why);
  }

  @Test
  void upRefreshPreviewAndDestroyOfTwoStacksInTheirOwnWorkspaces() throws Exception {
    Path state = Files.createDirectories(home.resolve("state"));
    AutomationStackEngine engine =
        new AutomationStackEngine(
            new PulumiBackend(
                "conductor-it",
                state.toUri().toString(),
                "passphrase",
                Map.of("PULUMI_CONFIG_PASSPHRASE", "it-passphrase")),
            System.getenv("PATH"));
    StackRequest acme = request("tenant-acme");
    StackRequest globex = request("tenant-globex");
    RecordingProgress progress = new RecordingProgress();
    Consumer<com.pulumi.automation.events.EngineEvent> events =
        new EngineEventReporter(progress, Clock.systemUTC());

    var acmeUp = CompletableFuture.supplyAsync(() -> engine.up(acme, events));
    var globexUp = CompletableFuture.supplyAsync(() -> engine.up(globex, e -> {}));
    Map<String, Object> outputs = acmeUp.get();

    assertThat(outputs)
        .containsEntry("tenant", "tenant-acme")
        .containsEntry("greeting", "hello acme");
    assertThat(globexUp.get()).containsEntry("tenant", "tenant-globex");
    assertThat(Files.exists(acme.workDir())).isTrue();
    assertThat(acme.workDir()).isNotEqualTo(globex.workDir());
    assertThat(progress.mentions("Created conductor:test:Tenant acme")).isTrue();
    assertThat(progress.events()).noneMatch(line -> line.contains("it-secret-value"));

    EngineEventReporter refresh =
        new EngineEventReporter(new RecordingProgress(), Clock.systemUTC());
    engine.refresh(acme, StackEngine.Refresh.REPORT_ONLY, refresh);
    assertThat(refresh.diff().changes()).isEmpty();
    assertThat(engine.hasPendingOperations(acme)).isFalse();
    EngineEventReporter preview =
        new EngineEventReporter(new RecordingProgress(), Clock.systemUTC());
    engine.preview(acme, preview);
    assertThat(preview.diff().changes()).isEmpty();

    // Another replica (a workspace of its own) generates a new value: the stack keeps the first.
    StackRequest elsewhere =
        new StackRequest(
            "tenant-acme",
            home.resolve("other-replica").resolve("tenant-acme"),
            PulumiUpAndDestroyTest::program,
            Map.of(
                "conductor:tenant", "tenant-acme",
                "conductor:token", "it-secret-value",
                "conductor:generated", "second"),
            Set.of("conductor:token", "conductor:generated"),
            Map.of("conductor:generated", "kept.value"));
    assertThat(engine.up(elsewhere, e -> {})).containsEntry("kept", Map.of("value", "first"));

    engine.destroy(acme, events);
    engine.destroy(globex, e -> {});

    assertThat(Files.exists(acme.workDir())).isFalse();
    assertThat(progress.mentions("Deleted conductor:test:Tenant acme")).isTrue();
    // Destroying a stack that is already gone is fine: offboarding may be retried.
    engine.destroy(acme, e -> {});
  }

  private StackRequest request(String stack) {
    return new StackRequest(
        stack,
        home.resolve("workspaces").resolve(stack),
        PulumiUpAndDestroyTest::program,
        Map.of(
            "conductor:tenant", stack,
            "conductor:token", "it-secret-value",
            "conductor:generated", "first"),
        Set.of("conductor:token", "conductor:generated"),
        Map.of("conductor:generated", "kept.value"));
  }

  private static void program(Context ctx) {
    String tenant = ctx.config("conductor").require("tenant");
    String name = tenant.substring("tenant-".length());
    var component =
        new ComponentResource("conductor:test:Tenant", name, ComponentResourceOptions.Empty);
    new ComponentResource(
        "conductor:test:Database",
        name + "-db",
        ComponentResourceOptions.builder().parent(component).build());
    ctx.export("tenant", Output.of(tenant));
    ctx.export("greeting", Output.of("hello " + name));
    ctx.export("token", Output.ofSecret(ctx.config("conductor").require("token")));
    ctx.export(
        "kept", Output.ofSecret(Map.of("value", ctx.config("conductor").require("generated"))));
  }
}
