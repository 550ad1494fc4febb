package dev.conductor.job;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A tenant's job. {@code attempts} counts dispatches; the message of a dispatch is id:attempts.
 * {@code location} is where its worker must run ('' is anywhere the runtime starts workers). {@code
 * traceparent} is the submitting request's trace (W3C), null when tracing is off.
 */
@MappedEntity("jobs")
public record Job(
    @Id UUID id,
    UUID tenantId,
    String type,
    String payload,
    String affinityKey,
    @Nullable String idempotencyKey,
    JobStatus status,
    int attempts,
    int maxAttempts,
    long timeoutMs,
    @Nullable UUID workerId,
    @Nullable String result,
    @Nullable String error,
    @Nullable Instant notBefore,
    @Nullable Instant dispatchedAt,
    Instant createdAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    Instant updatedAt,
    String location,
    @Nullable String traceparent) {}
