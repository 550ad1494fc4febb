package dev.conductor.operation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A durable unit of provisioning work, claimed by one conductor at a time under a lease. {@code
 * plan} is the target plan of an UPDATE; {@code cancelRequested} is set while it runs and read by
 * the conductor holding the lease.
 */
@MappedEntity("operations")
public record Operation(
    @Id UUID id,
    UUID tenantId,
    OperationKind kind,
    OperationStatus status,
    int attempts,
    @Nullable String leaseOwner,
    @Nullable Instant leaseUntil,
    @Nullable String error,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String plan,
    boolean cancelRequested) {

  public static Operation queued(UUID tenantId, OperationKind kind, Instant now) {
    return queued(tenantId, kind, null, now);
  }

  public static Operation queued(
      UUID tenantId, OperationKind kind, @Nullable String plan, Instant now) {
    return new Operation(
        UUID.randomUUID(),
        tenantId,
        kind,
        OperationStatus.QUEUED,
        0,
        null,
        null,
        null,
        now,
        now,
        plan,
        false);
  }
}
