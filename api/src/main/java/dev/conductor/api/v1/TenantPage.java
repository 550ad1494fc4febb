package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;
import java.util.List;

/** One page of live tenants, by name; {@code nextCursor} is null on the last page, never absent. */
public record TenantPage(
    List<TenantView> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {}
