package dev.conductor.operation;

/**
 * PROVISION and DEPROVISION onboard and offboard; UPDATE provisions again with another plan;
 * REFRESH only reads and reports drift; PREVIEW only reports what an UPDATE to its plan would
 * change (the CLI's {@code tenants update --dry-run}).
 */
public enum OperationKind {
  PROVISION,
  DEPROVISION,
  UPDATE,
  REFRESH,
  PREVIEW;

  /** Whether it only reads: the tenant stays as it was however it ends, and retry skips it. */
  public boolean readOnly() {
    return this == REFRESH || this == PREVIEW;
  }
}
