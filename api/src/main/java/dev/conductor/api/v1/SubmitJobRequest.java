package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.annotation.Nullable;

/** {@code POST /v1/jobs}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitJobRequest(
    @Nullable String type,
    @Nullable JsonNode payload,
    @Nullable String affinityKey,
    @Nullable String idempotencyKey) {}
