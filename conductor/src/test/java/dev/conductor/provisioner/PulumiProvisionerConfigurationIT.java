package dev.conductor.provisioner;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.bus.WorkerBusEndpoint;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.pulumi.AzureTarget;
import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.InfrastructurePlan.BusTier;
import dev.conductor.provisioning.pulumi.PulumiCli;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The conductor with {@code conductor.provisioner.kind=pulumi}, as an operator meets it on a
 * machine without the Pulumi CLI: it starts, and onboarding fails with one actionable line.
 */
class PulumiProvisionerConfigurationIT {

  @Test
  void withoutAPulumiCliOnboardingFailsSayingWhatToInstallAndWhereItLooked() {
    assumeTrue(noPulumiCli(), "this machine has a Pulumi CLI: the missing-CLI error cannot show");
    try (RunningConductor conductor =
        RunningConductor.start(Map.of("conductor.provisioner.kind", "pulumi"))) {
      conductor.postJson("/v1/tenants", "{\"name\":\"acme\",\"plan\":\"dev\"}");

      JsonNode failed =
          await(
              () -> Json.parse(conductor.get("/v1/tenants/acme").body()),
              tenant -> "FAILED".equals(tenant.path("status").asText()),
              Duration.ofSeconds(60));

      assertThat(failed.get("error").asText())
          .contains("Pulumi CLI not found on the conductor's PATH")
          .contains("install Pulumi " + PulumiCli.MINIMUM_VERSION + " or newer");
    }
  }

  @Test
  void aPlanWithoutWorkerImageFailsOnboardingNamingTheSetting() {
    try (RunningConductor conductor =
        RunningConductor.start(
            Map.of(
                "conductor.provisioner.kind", "pulumi",
                "conductor.plans.dev.worker-image", ""))) {
      conductor.postJson("/v1/tenants", "{\"name\":\"acme\",\"plan\":\"dev\"}");

      JsonNode failed =
          await(
              () -> Json.parse(conductor.get("/v1/tenants/acme").body()),
              tenant -> "FAILED".equals(tenant.path("status").asText()),
              Duration.ofSeconds(60));

      assertThat(failed.get("error").asText())
          .contains("cannot be provisioned by the pulumi docker target")
          .contains("worker image is required");
    }
  }

  @Test
  void anUnknownTargetStopsTheConductorAtStartupNamingTheSetting() {
    assertThatThrownBy(
            () ->
                RunningConductor.start(
                        Map.of(
                            "conductor.provisioner.kind", "pulumi",
                            "conductor.provisioning.pulumi.target", "gcp"))
                    .close())
        .hasStackTraceContaining(
            "conductor.provisioning.pulumi.target must be azure or docker, got 'gcp'");
  }

  @Test
  void theAzureTargetStopsTheConductorAtStartupWhenItCannotWork() {
    // The default build leaves the azure-native SDK out (-Pazure adds it); with it, the bus
    // (artemis here) is what stops the conductor.
    String expected =
        azureProviderPresent()
            ? "the azure target needs conductor.bus.kind=servicebus"
            : "the azure target needs the azure-native provider SDK, which this build leaves out:"
                + " build with ./mvnw -Pazure package -pl cli -am";
    assertThatThrownBy(
            () ->
                RunningConductor.start(
                        Map.of(
                            "conductor.provisioner.kind", "pulumi",
                            "conductor.provisioning.pulumi.target", "azure",
                            "conductor.provisioning.pulumi.azure.location", "westeurope"))
                    .close())
        .hasStackTraceContaining(expected);
  }

  @Test
  void anAzurePlanMustPutItsTopicOnTheConductorsOwnNamespace() {
    AzureTarget azure =
        new AzureTarget(
            "westeurope",
            "tenants",
            "contoso",
            "contoso-pg",
            "contoso-std",
            "contoso-prem",
            "/subscriptions/s/managedEnvironments/e",
            "contoso.azurecr.io/app:1",
            8080,
            null,
            null);
    InfrastructurePlan premium =
        new InfrastructurePlan(
            false, "Standard_B1ms", 32, BusTier.PREMIUM, 0.25, "0.5Gi", 0.5, "1Gi", 10);
    Map<String, InfrastructurePlan> plans = Map.of("enterprise", premium);
    WorkerBusEndpoint standardBus =
        new WorkerBusEndpoint("servicebus", "contoso-std.servicebus.windows.net", 1);

    assertThat(ProvisionerFactory.onTheConductorsBus(azure, "standard", plans, standardBus))
        .isEqualTo(InfrastructurePlan.DEFAULTS);
    assertThatThrownBy(
            () -> ProvisionerFactory.onTheConductorsBus(azure, "enterprise", plans, standardBus))
        .hasMessage(
            "plan enterprise puts its bus on the Premium namespace contoso-prem, but the"
                + " conductor's bus is contoso-std.servicebus.windows.net: one conductor serves"
                + " one Service Bus namespace");
  }

  private static boolean azureProviderPresent() {
    try {
      Class.forName("com.pulumi.azurenative.Provider");
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  private static boolean noPulumiCli() {
    try {
      PulumiCli.locate(System.getenv("PATH"));
      return false;
    } catch (ProvisioningException e) {
      return true;
    }
  }
}
