package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pulumi.core.Output;
import dev.conductor.provisioning.Resource;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StackOutputsTest {

  @Test
  void exportsIdentifiersPlainAndSecretsAsSecret() {
    ProgramRun run =
        ProgramRun.attempt(
            Map.of(),
            Set.of(),
            ctx ->
                StackOutputs.export(
                    ctx,
                    StackOutputs.DATABASE,
                    Output.of(Map.of("host", "db.example.com")),
                    Output.of(Map.of("password", "s3cret-value"))),
            args -> args);

    assertThat(run.failures()).isEmpty();
    assertThat(run.isSecretOutput("database")).isFalse();
    assertThat(run.isSecretOutput("databaseSecrets")).isTrue();
    assertThat(run.outputValues())
        .containsEntry("database", Map.of("host", "db.example.com"))
        .containsEntry("databaseSecrets", Map.of("password", "s3cret-value"));
  }

  @Test
  void exportsOnlyTheKindsOfTheContract() {
    ProgramRun run =
        ProgramRun.attempt(
            Map.of(),
            Set.of(),
            ctx -> StackOutputs.export(ctx, "cache", Output.of(Map.of()), Output.of(Map.of())),
            args -> args);

    assertThat(run.result().exceptions())
        .extracting(e -> ProgramRun.rootCause(e).getMessage())
        .contains("resource kind must be one of [database, queue, app, container], got cache");
  }

  @Test
  void turnsOutputValuesIntoResourcesPerKind() {
    Map<String, Resource> resources =
        StackOutputs.toResources(
            Map.of(
                "database", Map.of("host", "h", "port", "5432"),
                "databaseSecrets", Map.of("password", "p"),
                "app", Map.of("credentialId", "c"),
                "appSecrets", Map.of(),
                "unrelated", "ignored"));

    assertThat(resources)
        .containsOnlyKeys("database", "app")
        .containsEntry(
            "database", new Resource(Map.of("host", "h", "port", "5432"), Map.of("password", "p")))
        .containsEntry("app", Resource.of(Map.of("credentialId", "c")));
  }

  @Test
  void aKindWithoutSecretsOutputHasNoSecrets() {
    Map<String, Resource> resources =
        StackOutputs.toResources(Map.of("container", Map.of("image", "worker:1")));

    assertThat(resources.get("container").secrets()).isEmpty();
  }

  @Test
  void secretsWithoutTheirKindAreRefused() {
    assertThatThrownBy(
            () -> StackOutputs.toResources(Map.of("queueSecrets", Map.of("workerPassword", "p"))))
        .hasMessage("stack output queueSecrets has no queue output beside it");
  }

  @Test
  void aValueThatIsNoStringIsNamedButNotQuoted() {
    assertThatThrownBy(
            () ->
                StackOutputs.toResources(
                    Map.of(
                        "database",
                        Map.of("host", "h"),
                        "databaseSecrets",
                        Map.of("password", 123456.0))))
        .hasMessage("stack output databaseSecrets.password must be a string")
        .message()
        .doesNotContain("123456");
    assertThatThrownBy(() -> StackOutputs.toResources(Map.of("app", "not a map")))
        .hasMessage("stack output app must be a map of strings");
  }

  @Test
  void containerIdentifiersListEnvironmentKeysOnly() {
    var worker =
        new dev.conductor.provisioning.WorkerTemplate(
            "worker:1", java.util.List.of("run", "--fast"), Map.of("B", "2", "A", "secret"), 3);

    assertThat(StackOutputs.containerIdentifiers(worker))
        .containsExactly(
            Map.entry("image", "worker:1"),
            Map.entry("command", "run --fast"),
            Map.entry("capacity", "3"),
            Map.entry("environment", "A,B"));
  }
}
