package dev.conductor.secret;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * {@code conductor.secrets.*}: the AES-256-GCM key for provisioned secrets at rest ({@code key};
 * none: the home's key file), and keys it replaced that may still have sealed some of them ({@code
 * previous-keys}, comma-separated), until {@code conductor admin rotate-secrets-key} re-sealed
 * them.
 */
@ConfigurationProperties("conductor.secrets")
public record SecretsSettings(@Nullable String key, @Nullable List<String> previousKeys) {}
