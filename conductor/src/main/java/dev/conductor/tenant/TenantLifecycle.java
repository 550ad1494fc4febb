package dev.conductor.tenant;

import dev.conductor.operation.OperationLease;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.operation.OperationStatus;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.TenantSpec;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Moves a tenant along its state machine as its operations end. Each outcome ends the operation and
 * updates the tenant in one transaction, and only while this conductor still holds the lease.
 */
@Singleton
public class TenantLifecycle {
  private final TenantRepository tenants;
  private final TenantResources resources;
  private final TenantSpecs specs;
  private final OperationLease lease;
  private final Clock clock;

  TenantLifecycle(
      TenantRepository tenants,
      TenantResources resources,
      TenantSpecs specs,
      OperationLease lease,
      Clock clock) {
    this.tenants = tenants;
    this.resources = resources;
    this.specs = specs;
    this.lease = lease;
    this.clock = clock;
  }

  public TenantSpec specFor(UUID tenantId) {
    return specs.specFor(tenants.findById(tenantId).orElseThrow());
  }

  @Transactional
  public void provisioned(Claim claim, String owner, ProvisionedResources provisioned) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.SUCCEEDED, null)) {
      return;
    }
    Instant now = clock.instant();
    Tenant tenant = tenants.lockById(claim.tenantId()).orElseThrow();
    resources.store(tenant.id(), provisioned, now);
    tenants.update(tenant.withStatus(TenantStatus.READY, null, now));
  }

  @Transactional
  public void deprovisioned(Claim claim, String owner) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.SUCCEEDED, null)) {
      return;
    }
    Instant now = clock.instant();
    Tenant tenant = tenants.lockById(claim.tenantId()).orElseThrow();
    resources.deleteAll(tenant.id());
    // The key hash stays so that the deleted tenant's app is told 403, not a puzzling 401.
    tenants.update(tenant.withStatus(TenantStatus.DELETED, null, now));
  }

  @Transactional
  public void failed(Claim claim, String owner, String reason) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.FAILED, reason)) {
      return;
    }
    Instant now = clock.instant();
    Tenant tenant = tenants.lockById(claim.tenantId()).orElseThrow();
    tenants.update(tenant.withStatus(TenantStatus.FAILED, reason, now));
  }
}
