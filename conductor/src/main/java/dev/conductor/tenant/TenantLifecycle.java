package dev.conductor.tenant;

import dev.conductor.operation.Operation;
import dev.conductor.operation.OperationKind;
import dev.conductor.operation.OperationLease;
import dev.conductor.operation.OperationLease.Claim;
import dev.conductor.operation.OperationLog;
import dev.conductor.operation.OperationStatus;
import dev.conductor.provisioning.ProvisionedResources;
import dev.conductor.provisioning.TenantSpec;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;

/**
 * Moves a tenant along its state machine as its operations end. Each outcome ends the operation and
 * updates the tenant in one transaction, and only while this conductor still holds the lease (or,
 * for a queued operation cancelled, only while it is still queued). A refresh never moves its
 * tenant: it only reads.
 */
@Singleton
public class TenantLifecycle {
  private final TenantRepository tenants;
  private final TenantResources resources;
  private final TenantSpecs specs;
  private final OperationLease lease;
  private final OperationLog log;
  private final Clock clock;

  TenantLifecycle(
      TenantRepository tenants,
      TenantResources resources,
      TenantSpecs specs,
      OperationLease lease,
      OperationLog log,
      Clock clock) {
    this.tenants = tenants;
    this.resources = resources;
    this.specs = specs;
    this.lease = lease;
    this.log = log;
    this.clock = clock;
  }

  public TenantSpec specFor(UUID tenantId) {
    return specs.specFor(tenants.findById(tenantId).orElseThrow());
  }

  /** A plan change: the plan the tenant is on now, and its spec on the plan it moves to. */
  public record PlanMove(String from, TenantSpec spec) {}

  public PlanMove planMove(UUID tenantId, String plan) {
    Tenant tenant = tenants.findById(tenantId).orElseThrow();
    return new PlanMove(tenant.plan(), specs.specFor(tenant, plan));
  }

  @Transactional
  public void provisioned(Claim claim, String owner, ProvisionedResources provisioned) {
    succeeded(claim, owner, provisioned, null);
  }

  /** The update's resources and its plan become the tenant's. */
  @Transactional
  public void updated(Claim claim, String owner, ProvisionedResources provisioned) {
    succeeded(claim, owner, provisioned, claim.plan());
  }

  /** Stores the resources and makes the tenant READY, on {@code newPlan} if not null. */
  private void succeeded(
      Claim claim, String owner, ProvisionedResources provisioned, @Nullable String newPlan) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.SUCCEEDED, null)) {
      return;
    }
    Instant now = clock.instant();
    Tenant tenant = tenants.lockById(claim.tenantId()).orElseThrow();
    resources.store(tenant.id(), provisioned, now);
    Tenant moved = newPlan == null ? tenant : tenant.withPlan(newPlan, now);
    tenants.update(moved.withStatus(TenantStatus.READY, null, now));
    // With the end, in one commit: a stream that sees the operation ended has this event too.
    log.info(
        claim.operationId(),
        "tenant " + tenant.name() + " is READY" + (newPlan == null ? "" : " on plan " + newPlan));
  }

  /** A refresh or preview ended: it changed nothing, so only the operation ends. */
  @Transactional
  public void reported(Claim claim, String owner) {
    lease.finish(claim.operationId(), owner, OperationStatus.SUCCEEDED, null);
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
    log.info(claim.operationId(), "tenant " + tenant.name() + " is DELETED");
  }

  @Transactional
  public void failed(Claim claim, String owner, @Nullable String reason) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.FAILED, reason)) {
      return;
    }
    failTenantUnlessReadOnly(claim.tenantId(), claim.kind(), reason);
  }

  /**
   * An update that changed nothing (refused after its preview): the tenant serves on, on its old
   * plan; the operation says why.
   */
  @Transactional
  public void updateRefused(Claim claim, String owner, String reason) {
    if (!lease.finish(claim.operationId(), owner, OperationStatus.FAILED, reason)) {
      return;
    }
    backToReady(claim.tenantId());
  }

  /** A running operation stopped at its provisioner's safe point. */
  @Transactional
  public void cancelled(Claim claim, String owner) {
    String reason = cancelReason(claim.kind(), claim.plan());
    if (!lease.finish(claim.operationId(), owner, OperationStatus.CANCELLED, reason)) {
      return;
    }
    failTenantUnlessReadOnly(claim.tenantId(), claim.kind(), reason);
  }

  /** Cancels a queued operation at once; false if it is no longer queued. */
  @Transactional
  public boolean cancelQueued(Operation operation) {
    String reason = cancelReason(operation.kind(), operation.plan());
    if (!lease.cancelQueued(operation.id(), reason)) {
      return false;
    }
    if (operation.kind() == OperationKind.UPDATE) {
      // Nothing ran: the tenant serves on, on its old plan.
      backToReady(operation.tenantId());
    } else {
      failTenantUnlessReadOnly(operation.tenantId(), operation.kind(), reason);
    }
    return true;
  }

  private void backToReady(UUID tenantId) {
    setStatus(tenantId, TenantStatus.READY, null);
  }

  /** Retry re-runs what failed; a refresh or preview changed nothing, so its tenant stays. */
  private void failTenantUnlessReadOnly(
      UUID tenantId, OperationKind kind, @Nullable String reason) {
    if (!kind.readOnly()) {
      setStatus(tenantId, TenantStatus.FAILED, reason);
    }
  }

  private void setStatus(UUID tenantId, TenantStatus status, @Nullable String reason) {
    Tenant tenant = tenants.lockById(tenantId).orElseThrow();
    tenants.update(tenant.withStatus(status, reason, clock.instant()));
  }

  private static String cancelReason(OperationKind kind, @Nullable String plan) {
    return switch (kind) {
      case PROVISION -> "provisioning cancelled by operator";
      case DEPROVISION -> "offboarding cancelled by operator";
      case UPDATE -> "update to plan " + plan + " cancelled by operator";
      case REFRESH -> "refresh cancelled by operator";
      case PREVIEW -> "preview of plan " + plan + " cancelled by operator";
    };
  }
}
