package dev.conductor.operation;

public enum OperationKind {
  PROVISION,
  DEPROVISION
}
