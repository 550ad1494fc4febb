package dev.conductor.operation;

import dev.conductor.operation.OperationLease.Claim;
import io.micronaut.core.annotation.Nullable;

/**
 * What an operation does, and how its end is recorded, for the {@link OperationExecutor}: the
 * tenant side implements it, so this engine of leases, retries and cancellation knows nothing of
 * tenants.
 */
public interface OperationWork {

  /** The provisioner that runs the work, for the operation's event log. */
  String provisionerKind();

  /** Runs the claimed operation to its end; throws to fail it (retryably or not). */
  void run(Claim claim, String owner, CancelToken cancel);

  /** The operation failed for good. */
  void failed(Claim claim, String owner, @Nullable String reason);

  /** The operator's cancel reached the running operation. */
  void cancelled(Claim claim, String owner);

  /** The operator cancelled the operation before it ran. */
  void cancelledQueued(Operation operation);
}
