package dev.conductor.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code conductor.secrets.key}: the AES-256-GCM key for provisioned secrets at rest. */
@ConfigurationProperties("conductor.secrets")
public record SecretsSettings(@Nullable String key) {}
