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
    List<EventView> events) {}
