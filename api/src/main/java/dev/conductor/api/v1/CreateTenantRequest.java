package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;

/** {@code POST /v1/tenants}; {@code plan} defaults to {@code standard}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateTenantRequest(@Nullable String name, @Nullable String plan) {}
