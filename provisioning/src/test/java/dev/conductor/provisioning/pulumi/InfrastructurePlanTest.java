package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.pulumi.InfrastructurePlan.BusTier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfrastructurePlanTest {

  @Test
  void defaultsAreTheSmallestShape() {
    InfrastructurePlan plan = InfrastructurePlan.DEFAULTS;

    assertThat(plan.dedicatedDatabaseServer()).isFalse();
    assertThat(plan.busTier()).isEqualTo(BusTier.STANDARD);
    assertThat(plan.databaseSkuTier()).isEqualTo("Burstable");
    assertThat(plan.appCpu()).isEqualTo(0.25);
    assertThat(plan.appMemory()).isEqualTo("0.5Gi");
  }

  @ParameterizedTest
  @CsvSource({
    "Standard_B1ms, Burstable",
    "Standard_D2ds_v5, GeneralPurpose",
    "Standard_E4ds_v5, MemoryOptimized"
  })
  void derivesTheServerTierFromTheSku(String sku, String tier) {
    assertThat(plan(sku, 32, 0.5, "1Gi", 10).databaseSkuTier()).isEqualTo(tier);
  }

  @Test
  void refusesAnUnknownSku() {
    assertThatThrownBy(() -> plan("B1ms", 32, 0.5, "1Gi", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "databaseSku must be a flexible server SKU such as Standard_B1ms, Standard_D2ds_v5 or"
                + " Standard_E2ds_v5, got 'B1ms'");
  }

  @Test
  void refusesAStorageSizeAzureDoesNotOffer() {
    assertThatThrownBy(() -> plan("Standard_B1ms", 100, 0.5, "1Gi", 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(
            "databaseStorageGb must be one of the flexible server sizes [32, 64,")
        .hasMessageEndingWith(", got 100");
  }

  @ParameterizedTest
  @CsvSource({
    "0.1, 0.2Gi, 'workerCpu must be 0.25 to 4 vCPUs in steps of 0.25, got 0.1'",
    "0.3, 0.6Gi, 'workerCpu must be 0.25 to 4 vCPUs in steps of 0.25, got 0.3'",
    "4.25, 8.5Gi, 'workerCpu must be 0.25 to 4 vCPUs in steps of 0.25, got 4.25'",
    "1, 1024Mi, 'workerMemory must look like 0.5Gi or 2Gi, got ''1024Mi'''",
    "1, 3Gi, 'workerMemory must be twice workerCpu in Gi (Container Apps consumption sizes):"
        + " workerCpu 1.0 needs 2Gi, got 3Gi'",
    "0.75, 1Gi, 'workerMemory must be twice workerCpu in Gi (Container Apps consumption sizes):"
        + " workerCpu 0.75 needs 1.5Gi, got 1Gi'"
  })
  void refusesContainerSizesContainerAppsDoesNotOffer(double cpu, String memory, String message) {
    assertThatThrownBy(() -> plan("Standard_B1ms", 32, cpu, memory, 10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(message);
  }

  @ParameterizedTest
  @CsvSource({"0", "2001"})
  void refusesWorkerLimitsBeyondWhatATopicHolds(int max) {
    assertThatThrownBy(() -> plan("Standard_B1ms", 32, 0.5, "1Gi", max))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "maxWorkerReplicas must be between 1 and 2000 (subscriptions per Service Bus topic),"
                + " got "
                + max);
  }

  @Test
  void refusesAMissingBusTier() {
    assertThatThrownBy(
            () ->
                new InfrastructurePlan(
                    false, "Standard_B1ms", 32, null, 0.25, "0.5Gi", 0.5, "1Gi", 10))
        .hasMessage("busTier is required: Standard or Premium");
  }

  @Test
  void parsesBusTiersAsAzureSpellsThem() {
    assertThat(BusTier.parse("Premium")).isEqualTo(BusTier.PREMIUM);
    assertThat(BusTier.parse("standard")).isEqualTo(BusTier.STANDARD);
    assertThatThrownBy(() -> BusTier.parse("Basic"))
        .hasMessage("busTier must be Standard or Premium, got 'Basic'");
  }

  @ParameterizedTest
  @CsvSource({"0.5Gi, 512", "1Gi, 1024", "3.5Gi, 3584"})
  void convertsMemoryToMebibytes(String memory, int mebibytes) {
    assertThat(InfrastructurePlan.mebibytes(memory)).isEqualTo(mebibytes);
  }

  private static InfrastructurePlan plan(
      String sku, int storage, double workerCpu, String workerMemory, int maxWorkers) {
    return new InfrastructurePlan(
        false, sku, storage, BusTier.STANDARD, 0.25, "0.5Gi", workerCpu, workerMemory, maxWorkers);
  }
}
