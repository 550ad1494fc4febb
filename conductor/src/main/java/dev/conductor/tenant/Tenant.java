package dev.conductor.tenant;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

@MappedEntity("tenants")
public record Tenant(
    @Id UUID id,
    String name,
    String plan,
    TenantStatus status,
    @Nullable String apiKeyHash,
    @Nullable String credentialId,
    @Nullable String error,
    Instant createdAt,
    Instant updatedAt) {

  public Tenant withStatus(TenantStatus newStatus, @Nullable String newError, Instant now) {
    return new Tenant(
        id, name, plan, newStatus, apiKeyHash, credentialId, newError, createdAt, now);
  }

  public Tenant withPlan(String newPlan, Instant now) {
    return new Tenant(id, name, newPlan, status, apiKeyHash, credentialId, error, createdAt, now);
  }

  public Tenant withKey(@Nullable String newHash, @Nullable String newCredentialId, Instant now) {
    return new Tenant(id, name, plan, status, newHash, newCredentialId, error, createdAt, now);
  }
}
