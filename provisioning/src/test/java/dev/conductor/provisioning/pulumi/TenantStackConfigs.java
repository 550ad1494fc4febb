package dev.conductor.provisioning.pulumi;

import dev.conductor.provisioning.AppRegistration;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.TenantSpec;
import dev.conductor.provisioning.WorkerTemplate;
import dev.conductor.provisioning.pulumi.InfrastructurePlan.BusTier;
import java.util.List;
import java.util.Map;

/** Tenant stack configurations the program tests share. */
public final class TenantStackConfigs {
  public static final String PASSWORD = "Pw-0123456789abcdefXYZ_secret";
  public static final String WORKER_TOKEN = "worker-token-value-s3cr3t";

  public static final InfrastructurePlan SHARED_STANDARD = InfrastructurePlan.DEFAULTS;
  public static final InfrastructurePlan DEDICATED_PREMIUM =
      new InfrastructurePlan(
          true, "Standard_D2ds_v5", 128, BusTier.PREMIUM, 1, "2Gi", 2, "4Gi", 200);

  public static final AzureTarget AZURE =
      new AzureTarget(
          "westeurope",
          "conductor-rg",
          "contoso",
          "conductor-shared-pg",
          "conductor-sb-standard",
          "conductor-sb-premium",
          "/subscriptions/0000/resourceGroups/conductor-rg/providers/Microsoft.App/managedEnvironments/conductor-env",
          "contoso.azurecr.io/tenant-app:1.4",
          8080,
          "contoso.azurecr.io",
          "/subscriptions/0000/resourceGroups/conductor-rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/conductor-pull");

  public static final String EASTUS_ENVIRONMENT =
      "/subscriptions/0000/resourceGroups/conductor-rg/providers/Microsoft.App/managedEnvironments/conductor-env-eastus";

  /** {@link #AZURE} with two worker locations: {@code us} (eastus) and {@code eu} (westeurope). */
  public static final AzureTarget AZURE_REGIONS =
      new AzureTarget(
          AZURE.location(),
          AZURE.resourceGroupName(),
          AZURE.namePrefix(),
          AZURE.postgresServerName(),
          AZURE.standardBusNamespace(),
          AZURE.premiumBusNamespace(),
          AZURE.containerAppsEnvironmentId(),
          AZURE.appImage(),
          AZURE.appPort(),
          AZURE.registryServer(),
          AZURE.registryIdentityId(),
          Map.of(
              "us",
              new AzureTarget.WorkerLocation("eastus", EASTUS_ENVIRONMENT),
              "eu",
              new AzureTarget.WorkerLocation("westeurope", AZURE.containerAppsEnvironmentId())));

  public static final DockerTarget DOCKER =
      new DockerTarget("conductor", "postgres:17", "ghcr.io/contoso/tenant-app:1.4", "localhost");

  private TenantStackConfigs() {}

  public static TenantSpec spec(String slug, String plan) {
    return new TenantSpec(
        new TenantName(slug),
        plan,
        new AppRegistration("cred-" + slug, "https://conductor.example.com/v1/jobs"),
        new WorkerTemplate(
            "ghcr.io/conductor/worker:1",
            List.of("java", "-jar", "worker.jar"),
            Map.of("LOG_LEVEL", "info", "WORKER_TOKEN", WORKER_TOKEN),
            4));
  }

  public static TenantStackConfig azure(String slug, InfrastructurePlan plan) {
    return TenantStackConfig.of(spec(slug, planName(plan)), plan, AZURE, PASSWORD);
  }

  /** On {@link #AZURE_REGIONS}. */
  public static TenantStackConfig azureInRegions(String slug, InfrastructurePlan plan) {
    return TenantStackConfig.of(spec(slug, planName(plan)), plan, AZURE_REGIONS, PASSWORD);
  }

  public static TenantStackConfig docker(String slug) {
    return TenantStackConfig.of(spec(slug, "starter"), SHARED_STANDARD, DOCKER, PASSWORD);
  }

  private static String planName(InfrastructurePlan plan) {
    return plan.dedicatedDatabaseServer() ? "enterprise" : "starter";
  }
}
