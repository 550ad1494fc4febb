package dev.conductor.provisioner;

import dev.conductor.provisioning.local.LocalProvisionerSettings;
import dev.conductor.provisioning.pulumi.AzureTarget;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code conductor.provisioning.pulumi.azure.*}: the shared Azure infrastructure tenant stacks
 * build on (docs/provisioning.md says what each is).
 */
@ConfigurationProperties("conductor.provisioning.pulumi.azure")
public record AzureTargetSettings(
    @Nullable String location,
    @Nullable String resourceGroup,
    @Nullable String namePrefix,
    @Nullable String postgresServer,
    @Nullable String postgresAdminUser,
    @Nullable String postgresAdminPassword,
    @Nullable String standardBusNamespace,
    @Nullable String premiumBusNamespace,
    @Nullable String containerAppsEnvironmentId,
    @Nullable String appImage,
    @Nullable Integer appPort,
    @Nullable String registryServer,
    @Nullable String registryIdentityId) {

  /**
   * How the conductor reaches the shared server to create tenant roles: as its admin, over TLS;
   * Azure's own databases stay closed to tenants.
   */
  LocalProvisionerSettings sharedServer(AzureTarget target) {
    if (postgresAdminUser == null
        || postgresAdminUser.isBlank()
        || postgresAdminPassword == null
        || postgresAdminPassword.isBlank()) {
      throw new IllegalArgumentException(
          "postgres-admin-user and postgres-admin-password are required: the conductor creates"
              + " each tenant's role on the shared server");
    }
    String host = target.postgresServerHost();
    return new LocalProvisionerSettings(
        "jdbc:postgresql://" + host + ":5432/postgres?sslmode=require",
        postgresAdminUser,
        postgresAdminPassword,
        host,
        5432,
        Set.of("postgres", "azure_maintenance", "azure_sys"));
  }

  @Override
  public String toString() {
    return "AzureTargetSettings[location="
        + location
        + ", resourceGroup="
        + resourceGroup
        + ", postgresServer="
        + postgresServer
        + ", postgresAdminUser="
        + postgresAdminUser
        + "]";
  }

  /** An absent required setting reaches the target as empty text, which it rejects by name. */
  AzureTarget toTarget(List<AzureWorkerLocationSettings> workerLocations) {
    return new AzureTarget(
        Objects.requireNonNullElse(location, ""),
        Objects.requireNonNullElse(resourceGroup, ""),
        Objects.requireNonNullElse(namePrefix, ""),
        Objects.requireNonNullElse(postgresServer, ""),
        standardBusNamespace,
        premiumBusNamespace,
        Objects.requireNonNullElse(containerAppsEnvironmentId, ""),
        Objects.requireNonNullElse(appImage, ""),
        appPort == null ? 8080 : appPort,
        registryServer,
        registryIdentityId,
        AzureWorkerLocationSettings.toTarget(workerLocations));
  }
}
