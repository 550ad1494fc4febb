package dev.conductor.job;

import io.micronaut.core.annotation.Nullable;
import java.time.Instant;

/**
 * What a listing of a tenant's jobs keeps, each part skipped when null: a status, a type, an
 * affinity key, and creation at or after {@code since} and before {@code until}.
 */
public record JobFilter(
    @Nullable JobStatus status,
    @Nullable String type,
    @Nullable String affinityKey,
    @Nullable Instant since,
    @Nullable Instant until) {

  static JobFilter byStatus(@Nullable JobStatus status) {
    return new JobFilter(status, null, null, null, null);
  }
}
