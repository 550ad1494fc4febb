package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * A live operator identity: never its token or hash. {@code lastUsedAt} is to the minute at best;
 * null until first used.
 */
public record OperatorView(
    String name,
    String role,
    @Nullable Instant createdAt,
    @Nullable String createdBy,
    @Nullable Instant lastUsedAt) {}
