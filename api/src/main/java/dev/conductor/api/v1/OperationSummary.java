package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.time.Instant;

/** An operation as a listing shows it: {@link OperationView} without its event log. */
public record OperationSummary(
    String id,
    String tenant,
    String kind,
    String status,
    int attempts,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String error,
    @Nullable String plan,
    boolean cancelRequested) {}
