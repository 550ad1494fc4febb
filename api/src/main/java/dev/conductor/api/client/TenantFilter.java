package dev.conductor.api.client;

import jakarta.annotation.Nullable;

/**
 * Which live tenants a page of {@code GET /v1/tenants} holds: a status (any case), a plan, and a
 * name prefix; null is no filter.
 */
public record TenantFilter(
    @Nullable String status, @Nullable String plan, @Nullable String namePrefix) {}
