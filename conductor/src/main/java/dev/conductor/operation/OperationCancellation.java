package dev.conductor.operation;

import dev.conductor.api.ConflictException;
import dev.conductor.api.NotFoundException;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import java.util.UUID;

/**
 * Cancels operations on an operator's request. A queued one ends at once; a running one is flagged
 * in the database, since the request may reach a replica that does not run it: the conductor
 * holding the lease reads the flag on its next renewal (every lease/3) and interrupts the
 * provisioner.
 */
@Singleton
public class OperationCancellation {
  private final OperationRepository operations;
  private final OperationLease lease;
  private final OperationWork work;
  private final OperationLog log;

  OperationCancellation(
      OperationRepository operations, OperationLease lease, OperationWork work, OperationLog log) {
    this.operations = operations;
    this.lease = lease;
    this.work = work;
    this.log = log;
  }

  /** Returns the operation as it is afterwards: CANCELLED, or RUNNING with the cancel requested. */
  @Transactional
  public Operation cancel(UUID id) {
    // The row lock orders this against a conductor claiming the operation at the same moment.
    Operation operation =
        operations
            .lockById(id)
            .orElseThrow(() -> new NotFoundException("operation '" + id + "' not found"));
    String kind = operation.kind().name().toLowerCase();
    switch (operation.status()) {
      case QUEUED -> {
        log.warn(id, kind + " cancelled by operator before it ran");
        work.cancelledQueued(operation);
      }
      case RUNNING -> {
        if (!operation.cancelRequested()) {
          log.warn(id, "cancel requested: " + kind + " stops at the provisioner's next safe point");
          lease.requestCancel(id);
        }
      }
      default ->
          throw new ConflictException(
              "operation "
                  + id
                  + " already ended "
                  + operation.status()
                  + "; only QUEUED or RUNNING operations can be cancelled");
    }
    return operations.findById(id).orElseThrow();
  }
}
