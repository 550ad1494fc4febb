package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.Map;

/** A tenant; {@code resources} holds identifiers by kind, never secrets, and is always present. */
public record TenantView(
    String name,
    String plan,
    String status,
    Instant createdAt,
    Instant updatedAt,
    @Nullable String error,
    @Nullable String operationId,
    @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Map<String, String>> resources) {}
