package dev.conductor.api.v1;

import jakarta.annotation.Nullable;
import java.time.Instant;

/**
 * One state-changing operator request: who ({@code actor}, {@code role}), what ({@code action},
 * {@code method}, {@code path}), to which tenant when known, and its answer's status.
 */
public record AuditEventView(
    String id,
    Instant at,
    String actor,
    String role,
    String action,
    String method,
    String path,
    @Nullable String tenant,
    int status,
    @Nullable String requestId) {}
