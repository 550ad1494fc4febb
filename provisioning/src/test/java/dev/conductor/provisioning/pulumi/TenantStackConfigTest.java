package dev.conductor.provisioning.pulumi;

import static dev.conductor.provisioning.pulumi.TenantStackConfigs.AZURE;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.DEDICATED_PREMIUM;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.PASSWORD;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.SHARED_STANDARD;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class TenantStackConfigTest {

  @Test
  void azureConfigurationRoundTripsThroughTheStack() {
    TenantStackConfig config = TenantStackConfigs.azure("acme-corp", DEDICATED_PREMIUM);

    assertThat(readBack(config.toConfig(), config.secretKeys())).isEqualTo(config);
  }

  @Test
  void dockerConfigurationRoundTripsThroughTheStack() {
    TenantStackConfig config = TenantStackConfigs.docker("acme");

    assertThat(readBack(config.toConfig(), config.secretKeys())).isEqualTo(config);
  }

  @Test
  void workerLocationsRoundTripThroughTheStack() {
    TenantStackConfig config = TenantStackConfigs.azureInRegions("acme", SHARED_STANDARD);

    TenantStackConfig read = readBack(config.toConfig(), config.secretKeys());

    assertThat(read).isEqualTo(config);
    assertThat(((AzureTarget) read.target()).workerLocations())
        .containsOnlyKeys("eu", "us")
        .containsEntry(
            "us", new AzureTarget.WorkerLocation("eastus", TenantStackConfigs.EASTUS_ENVIRONMENT));
  }

  @Test
  void optionalAzureSettingsMayBeLeftOut() {
    AzureTarget withoutRegistry =
        new AzureTarget(
            "westeurope", "rg", "contoso", "pg", "sb", null, "/env", "app:1", 8080, null, null);
    TenantStackConfig config =
        TenantStackConfig.of(
            TenantStackConfigs.spec("acme", "starter"), SHARED_STANDARD, withoutRegistry, PASSWORD);

    assertThat(config.toConfig())
        .doesNotContainKeys(
            "conductor:azurePremiumBusNamespace",
            "conductor:azureRegistryServer",
            "conductor:azureRegistryIdentityId");
    assertThat(readBack(config.toConfig(), config.secretKeys())).isEqualTo(config);
  }

  @Test
  void everyKeyIsInTheConductorNamespace() {
    Map<String, String> config = TenantStackConfigs.azure("acme", SHARED_STANDARD).toConfig();

    assertThat(config.keySet()).allMatch(key -> key.startsWith("conductor:"));
    assertThat(config)
        .containsEntry("conductor:tenant", "acme")
        .containsEntry("conductor:target", "azure")
        .containsEntry("conductor:busTier", "Standard")
        .containsEntry("conductor:workerCommand", "[\"java\",\"-jar\",\"worker.jar\"]");
  }

  @Test
  void secretKeysAreThePasswordAndTheWorkerEnvironment() {
    TenantStackConfig config = TenantStackConfigs.docker("acme");

    assertThat(config.secretKeys())
        .containsExactlyInAnyOrder("conductor:databasePassword", "conductor:workerEnvironment");
    assertThat(config.toConfig()).containsKeys(config.secretKeys().toArray(String[]::new));
  }

  @Test
  void toStringShowsNoSecret() {
    String text = TenantStackConfigs.azure("acme", SHARED_STANDARD).toString();

    assertThat(text).contains("acme", "WORKER_TOKEN").doesNotContain(PASSWORD, WORKER_TOKEN);
  }

  @Test
  void aMissingKeyIsNamedInFull() {
    Map<String, String> config = new HashMap<>(TenantStackConfigs.docker("acme").toConfig());
    config.remove("conductor:dockerNetwork");

    assertThatThrownBy(() -> readBack(config, Set.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "missing stack configuration conductor:dockerNetwork (the conductor sets it from"
                + " TenantStackConfig.toConfig())");
  }

  @Test
  void aMalformedNumberIsNamedInFull() {
    Map<String, String> config = new HashMap<>(TenantStackConfigs.docker("acme").toConfig());
    config.put("conductor:workerCapacity", "four");

    assertThatThrownBy(() -> readBack(config, Set.of()))
        .hasMessage("stack configuration conductor:workerCapacity must be an integer, got 'four'");
  }

  @Test
  void aMalformedSecretIsNeverQuoted() {
    Map<String, String> config = new HashMap<>(TenantStackConfigs.docker("acme").toConfig());
    config.put("conductor:workerEnvironment", "{\"TOKEN\": " + WORKER_TOKEN);

    assertThatThrownBy(() -> readBack(config, Set.of()))
        .hasMessage(
            "stack configuration conductor:workerEnvironment is not valid JSON of the right shape")
        .hasNoCause();
  }

  @Test
  void anUnknownTargetIsRefused() {
    Map<String, String> config = new HashMap<>(TenantStackConfigs.docker("acme").toConfig());
    config.put("conductor:target", "gcp");

    assertThatThrownBy(() -> readBack(config, Set.of()))
        .hasMessage("target must be azure or docker, got 'gcp'");
  }

  @Test
  void refusesAPlanWhoseBusTierTheTargetHasNoNamespaceFor() {
    AzureTarget standardOnly =
        new AzureTarget(
            "westeurope", "rg", "contoso", "pg", "sb", null, "/env", "app:1", 8080, null, null);

    assertThatThrownBy(
            () ->
                TenantStackConfig.of(
                    TenantStackConfigs.spec("acme", "enterprise"),
                    DEDICATED_PREMIUM,
                    standardOnly,
                    PASSWORD))
        .hasMessage(
            "the plan uses the Premium bus tier, but azurePremiumBusNamespace is not configured");
  }

  @Test
  void refusesAShortPasswordWithoutQuotingIt() {
    assertThatThrownBy(
            () ->
                TenantStackConfig.of(
                    TenantStackConfigs.spec("acme", "starter"), SHARED_STANDARD, AZURE, "short"))
        .hasMessage("databasePassword must be 22 to 128 characters long");
  }

  @Test
  void refusesAWorkerWithoutImage() {
    var spec = TenantStackConfigs.spec("acme", "starter");
    var local =
        new dev.conductor.provisioning.TenantSpec(
            spec.name(),
            spec.plan(),
            spec.app(),
            new dev.conductor.provisioning.WorkerTemplate(null, List.of("java"), Map.of(), 1));

    assertThatThrownBy(() -> TenantStackConfig.of(local, SHARED_STANDARD, AZURE, PASSWORD))
        .hasMessage("worker image is required: the pulumi targets run workers as containers");
  }

  @Test
  void refusesAPlanNameThatCannotBeATag() {
    var spec = TenantStackConfigs.spec("acme", "gold plan");

    assertThatThrownBy(() -> TenantStackConfig.of(spec, SHARED_STANDARD, AZURE, PASSWORD))
        .hasMessage("plan must be 1 to 63 letters, digits, '.', '_' or '-', got 'gold plan'");
  }

  @Test
  void checksTheTargetAProgramAsksFor() {
    TenantStackConfig config = TenantStackConfigs.docker("acme");

    assertThat(config.target(DockerTarget.class)).isEqualTo(TenantStackConfigs.DOCKER);
    assertThatThrownBy(() -> config.target(AzureTarget.class))
        .hasMessage(
            "stack is configured for target docker, but this program deploys to AzureTarget");
  }

  /** Reads the configuration back inside a Pulumi program, as a tenant program does. */
  private static TenantStackConfig readBack(Map<String, String> config, Set<String> secretKeys) {
    AtomicReference<TenantStackConfig> read = new AtomicReference<>();
    ProgramRun run =
        ProgramRun.attempt(
            config, secretKeys, ctx -> read.set(TenantStackConfig.from(ctx)), a -> a);
    if (read.get() == null) {
      throw run.result().exceptions().stream()
          .map(ProgramRun::rootCause)
          .filter(IllegalArgumentException.class::isInstance)
          .map(IllegalArgumentException.class::cast)
          .findFirst()
          .orElseThrow(() -> new AssertionError("program failed: " + run.failures()));
    }
    return read.get();
  }
}
