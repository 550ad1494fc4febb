package dev.conductor.operator;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code conductor.auth.oidc.*}: OpenID Connect bearer tokens for operators, accepted when {@code
 * issuer} is set. {@code jwks-url} defaults to the issuer's discovery document's {@code jwks_uri};
 * the role comes from claim {@code role-claim}, the name the audit log shows from {@code
 * name-claim}.
 */
@ConfigurationProperties("conductor.auth.oidc")
public record OidcSettings(
    @Nullable String issuer,
    @Nullable String audience,
    @Nullable String jwksUrl,
    @NotBlank String roleClaim,
    @NotBlank String nameClaim) {}
