package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/** An operation and its event log; {@code plan} is an update's target plan. */
public record OperationView(
    String id,
    String tenant,
    String kind,
    String status,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String error,
    @Nullable String plan,
    boolean cancelRequested,
    List<EventView> events) {

  /** The operation as a listing shows it, with its event log. */
  public static OperationView of(OperationSummary operation, List<EventView> events) {
    return new OperationView(
        operation.id(),
        operation.tenant(),
        operation.kind(),
        operation.status(),
        operation.attempts(),
        operation.createdAt(),
        operation.updatedAt(),
        operation.error(),
        operation.plan(),
        operation.cancelRequested(),
        events);
  }
}
