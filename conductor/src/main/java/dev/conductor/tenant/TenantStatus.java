package dev.conductor.tenant;

/** PROVISIONING → READY → DELETING → DELETED; PROVISIONING → FAILED (retry); READY ⇄ SUSPENDED. */
public enum TenantStatus {
  PROVISIONING,
  READY,
  SUSPENDED,
  DELETING,
  DELETED,
  FAILED
}
