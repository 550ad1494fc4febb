package dev.conductor.operation;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.GeneratedValue;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/** One step of an operation as the operator sees it. */
@MappedEntity("operation_events")
public record OperationEvent(
    @Id @GeneratedValue @Nullable Long id,
    UUID operationId,
    Instant at,
    String level,
    String message) {}
