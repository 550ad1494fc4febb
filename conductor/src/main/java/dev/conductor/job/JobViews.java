package dev.conductor.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.PageCursor;
import dev.conductor.api.TimeBound;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * Jobs as the API shows them, to a tenant's app ({@link JobController}) and to an operator ({@link
 * TenantJobController}) alike.
 */
@Singleton
class JobViews {
  private final JobService service;
  private final JsonMapper json;
  private final Clock clock;

  JobViews(JobService service, JsonMapper json, Clock clock) {
    this.service = service;
    this.json = json;
    this.clock = clock;
  }

  JobView view(Job job) {
    // Deeper results cannot be embedded (the encoder fails past 64 levels): their text instead.
    String result = job.result();
    boolean embed = result != null && JsonDepth.of(result) <= JsonDepth.MAX;
    return new JobView(
        job.id().toString(),
        job.type(),
        job.status().name(),
        job.affinityKey().isEmpty() ? null : job.affinityKey(),
        job.workerId() == null ? null : job.workerId().toString(),
        job.attempts(),
        result != null && embed ? tree(result) : null,
        result != null && !embed ? result : null,
        job.error(),
        job.createdAt(),
        job.dispatchedAt(),
        job.startedAt(),
        job.finishedAt(),
        job.location().isEmpty() ? null : job.location());
  }

  /** One page of the tenant's jobs, newest first, as {@code GET ...jobs?status&limit&cursor}. */
  JobPage page(Tenant tenant, JobFilter filter, @Nullable String limit, @Nullable String cursor) {
    int size = PageCursor.limit(limit);
    PageCursor after = PageCursor.decode(cursor);
    List<Job> jobs =
        service.page(
            tenant,
            filter,
            after == null ? null : after.createdAt(),
            after == null ? null : after.id(),
            size + 1);
    List<JobView> items = jobs.stream().limit(size).map(this::view).toList();
    String next = null;
    if (jobs.size() > size) {
      Job last = jobs.get(size - 1);
      next = new PageCursor(last.createdAt(), last.id()).encode();
    }
    return new JobPage(items, next);
  }

  /** The operator's filters as typed in the query; a status or time of no known form is a 422. */
  JobFilter filter(
      @Nullable String status,
      @Nullable String type,
      @Nullable String affinityKey,
      @Nullable String since,
      @Nullable String until) {
    return new JobFilter(
        parseStatus(status),
        blankToNull(type),
        blankToNull(affinityKey),
        TimeBound.parse("since", since, clock),
        TimeBound.parse("until", until, clock));
  }

  private static @Nullable String blankToNull(@Nullable String value) {
    return value == null || value.isBlank() ? null : value;
  }

  private JsonNode tree(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static @Nullable JobStatus parseStatus(@Nullable String status) {
    if (status == null || status.isBlank()) {
      return null;
    }
    try {
      return JobStatus.valueOf(status.toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(
          "unknown status '" + status + "'; one of " + List.of(JobStatus.values()));
    }
  }
}
