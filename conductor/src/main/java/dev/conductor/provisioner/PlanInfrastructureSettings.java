package dev.conductor.provisioner;

import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.InfrastructurePlan.BusTier;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.provisioning.pulumi.plans.<plan>.*}: how big a plan's tenant infrastructure is.
 * Unset fields, and plans not listed, take {@link InfrastructurePlan#DEFAULTS}.
 */
@EachProperty("conductor.provisioning.pulumi.plans")
public record PlanInfrastructureSettings(
    @Parameter String name,
    @Nullable Boolean dedicatedDatabaseServer,
    @Nullable String databaseSku,
    @Nullable Integer databaseStorageGb,
    @Nullable String busTier,
    @Nullable Double appCpu,
    @Nullable String appMemory,
    @Nullable Double workerCpu,
    @Nullable String workerMemory,
    @Nullable Integer maxWorkerReplicas) {

  InfrastructurePlan toPlan() {
    InfrastructurePlan d = InfrastructurePlan.DEFAULTS;
    return new InfrastructurePlan(
        dedicatedDatabaseServer == null ? d.dedicatedDatabaseServer() : dedicatedDatabaseServer,
        databaseSku == null ? d.databaseSku() : databaseSku,
        databaseStorageGb == null ? d.databaseStorageGb() : databaseStorageGb,
        busTier == null ? d.busTier() : BusTier.parse(busTier),
        appCpu == null ? d.appCpu() : appCpu,
        appMemory == null ? d.appMemory() : appMemory,
        workerCpu == null ? d.workerCpu() : workerCpu,
        workerMemory == null ? d.workerMemory() : workerMemory,
        maxWorkerReplicas == null ? d.maxWorkerReplicas() : maxWorkerReplicas);
  }
}
