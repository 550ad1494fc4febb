package dev.conductor.api.client;

import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.TenantView;
import jakarta.annotation.Nullable;

/**
 * The answer to a plan change: the started update (202), or the tenant, unchanged, when it was
 * already on that plan (200). Exactly one is set.
 */
public record PlanUpdate(@Nullable StartedOperation started, @Nullable TenantView unchanged) {}
