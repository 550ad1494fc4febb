package dev.conductor.api.client;

import jakarta.annotation.Nullable;

/**
 * Which operations {@code GET /v1/operations} lists: a tenant name, a kind, a status, and a
 * creation window ({@code since}, {@code until}: an instant or an age such as {@code 2h}); null is
 * no filter.
 */
public record OperationFilter(
    @Nullable String tenant,
    @Nullable String kind,
    @Nullable String status,
    @Nullable String since,
    @Nullable String until) {}
