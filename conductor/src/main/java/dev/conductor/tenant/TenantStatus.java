package dev.conductor.tenant;

/**
 * PROVISIONING → READY → DELETING → DELETED; PROVISIONING → FAILED (retry); READY ⇄ SUSPENDED;
 * READY → UPDATING → READY (a plan change), UPDATING → FAILED (retry re-runs the update).
 */
public enum TenantStatus {
  PROVISIONING,
  READY,
  UPDATING,
  SUSPENDED,
  DELETING,
  DELETED,
  FAILED;

  /**
   * Whether the tenant's apps may submit jobs and its workers run them. An UPDATING tenant keeps
   * serving on its current plan until the update succeeds.
   */
  public boolean serving() {
    return this == READY || this == UPDATING;
  }
}
