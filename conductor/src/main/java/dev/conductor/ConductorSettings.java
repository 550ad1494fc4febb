package dev.conductor;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * {@code conductor.admin-token} (generated into the conductor home when unset) and {@code
 * conductor.public-url} (the base URL tenant apps use; this server's own address when unset).
 */
@ConfigurationProperties("conductor")
public record ConductorSettings(@Nullable String adminToken, @Nullable String publicUrl) {}
