package dev.conductor.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import jakarta.annotation.Nullable;
import java.util.List;

/** One page of jobs, newest first; {@code nextCursor} is null on the last page, never absent. */
public record JobPage(
    List<JobView> items, @JsonInclude(JsonInclude.Include.ALWAYS) @Nullable String nextCursor) {}
