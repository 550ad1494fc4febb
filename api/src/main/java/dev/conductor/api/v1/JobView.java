package dev.conductor.api.v1;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A job; a result nesting too deeply to embed comes as {@code resultJson}, its JSON text, instead
 * of {@code result}. {@code location} is where it must run (null: no location). {@code
 * dispatchedAt} is when its latest attempt was sent to a worker.
 */
public record JobView(
    String id,
    String type,
    String status,
    @Nullable String affinityKey,
    @Nullable String workerId,
    int attempts,
    @Nullable JsonNode result,
    @Nullable String resultJson,
    @Nullable String error,
    Instant createdAt,
    @Nullable Instant dispatchedAt,
    @Nullable Instant startedAt,
    @Nullable Instant finishedAt,
    @Nullable String location) {}
