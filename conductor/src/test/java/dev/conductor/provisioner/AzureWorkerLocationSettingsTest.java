package dev.conductor.provisioner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.pulumi.AzureTarget;
import java.util.List;
import org.junit.jupiter.api.Test;

class AzureWorkerLocationSettingsTest {

  @Test
  void eachLocationBecomesAWorkerLocationOfTheTarget() {
    assertThat(
            AzureWorkerLocationSettings.toTarget(
                List.of(
                    new AzureWorkerLocationSettings("us", "eastus", "/env-us"),
                    new AzureWorkerLocationSettings("eu", "westeurope", "/env-eu"))))
        .containsOnlyKeys("us", "eu")
        .containsEntry("us", new AzureTarget.WorkerLocation("eastus", "/env-us"));
  }

  @Test
  void aLocationWithoutItsEnvironmentIsRefusedByName() {
    assertThatThrownBy(
            () ->
                AzureWorkerLocationSettings.toTarget(
                    List.of(new AzureWorkerLocationSettings("us", "eastus", null))))
        .hasMessage("containerAppsEnvironmentId of a worker location is required");
  }
}
