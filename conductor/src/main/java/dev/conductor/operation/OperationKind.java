package dev.conductor.operation;

/**
 * PROVISION and DEPROVISION onboard and offboard; UPDATE provisions again with another plan;
 * REFRESH only reads and reports drift.
 */
public enum OperationKind {
  PROVISION,
  DEPROVISION,
  UPDATE,
  REFRESH
}
