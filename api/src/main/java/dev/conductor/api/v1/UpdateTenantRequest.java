package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;
import jakarta.validation.constraints.NotBlank;

/** {@code PATCH /v1/tenants/{name}}: the plan to move to. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UpdateTenantRequest(
    // Braces escaped: constraint messages interpolate {...}.
    @Nullable @NotBlank(message = "plan is required: \\{\"plan\": \"<name>\"\\}") String plan) {}
