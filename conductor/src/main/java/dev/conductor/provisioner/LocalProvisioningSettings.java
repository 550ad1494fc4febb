package dev.conductor.provisioner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.provisioning.local.*}: the PostgreSQL server that hosts tenant databases, when
 * not the conductor's own, and the host name tenants reach it by.
 */
@ConfigurationProperties("conductor.provisioning.local")
public record LocalProvisioningSettings(
    @Nullable String adminUrl,
    @Nullable String adminUser,
    @Nullable String adminPassword,
    @Nullable String tenantHost) {}
