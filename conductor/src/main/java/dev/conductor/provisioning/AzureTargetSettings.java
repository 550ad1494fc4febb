package dev.conductor.provisioning;

import dev.conductor.provisioning.pulumi.AzureTarget;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

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
    @Nullable String standardBusNamespace,
    @Nullable String premiumBusNamespace,
    @Nullable String containerAppsEnvironmentId,
    @Nullable String appImage,
    @Nullable Integer appPort,
    @Nullable String registryServer,
    @Nullable String registryIdentityId) {

  AzureTarget toTarget() {
    return new AzureTarget(
        location,
        resourceGroup,
        namePrefix,
        postgresServer,
        standardBusNamespace,
        premiumBusNamespace,
        containerAppsEnvironmentId,
        appImage,
        appPort == null ? 8080 : appPort,
        registryServer,
        registryIdentityId);
  }
}
