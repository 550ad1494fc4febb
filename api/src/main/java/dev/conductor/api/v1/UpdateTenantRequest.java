package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;

/** {@code PATCH /v1/tenants/{name}}: the plan to move to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateTenantRequest(@Nullable String plan) {}
