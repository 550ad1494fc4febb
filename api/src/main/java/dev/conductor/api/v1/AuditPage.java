package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;
import java.util.List;

/** One page of audit events, newest first; {@code nextCursor} is null on the last page. */
public record AuditPage(
    List<AuditEventView> items,
    @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {}
