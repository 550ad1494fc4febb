package dev.conductor.api.v1;

import jakarta.annotation.Nullable;

/** A tenant operation that was started; {@code targetPlan} only for an update. */
public record StartedOperation(
    String name, String status, String operationId, @Nullable String targetPlan) {}
