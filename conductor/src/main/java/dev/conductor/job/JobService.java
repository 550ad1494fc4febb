package dev.conductor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.api.ConflictException;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.api.PayloadTooLargeException;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.runtime.WorkerRuntimes;
import dev.conductor.tenant.Tenant;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** Submitting, reading, listing and cancelling a tenant's jobs. */
@Singleton
public class JobService {
  private final JobRepository jobs;
  private final Plans plans;
  private final WorkerRuntimes runtimes;
  private final RoutingRequests routing;
  private final SubmitLimits limits;
  private final JsonMapper json;
  private final Clock clock;

  JobService(
      JobRepository jobs,
      Plans plans,
      WorkerRuntimes runtimes,
      RoutingRequests routing,
      SubmitLimits limits,
      JsonMapper json,
      Clock clock) {
    this.jobs = jobs;
    this.plans = plans;
    this.runtimes = runtimes;
    this.routing = routing;
    this.limits = limits;
    this.json = json;
    this.clock = clock;
  }

  /**
   * What a tenant app asks for, its shape already checked ({@code SubmitJobRequest}'s constraints);
   * payload is null when the request had none.
   */
  public record Submission(
      String type,
      @Nullable JsonNode payload,
      @Nullable String affinityKey,
      @Nullable String idempotencyKey,
      @Nullable String location) {}

  public Job submit(Tenant tenant, Submission submission) {
    if (!tenant.status().serving()) {
      throw new ConflictException(
          "tenant '"
              + tenant.name()
              + "' is "
              + tenant.status()
              + "; jobs are accepted once it is READY");
    }
    Plan plan = plans.require(tenant.plan());
    String type = submission.type();
    if (!plan.acceptedJobTypes().contains(type)) {
      throw new InvalidRequestException(
          "unknown job type '"
              + type
              + "'; this tenant's workers run: "
              + String.join(", ", plan.acceptedJobTypes()));
    }
    String storedLocation = servedLocation(plan, submission.location());
    JsonNode payloadTree = submission.payload() == null ? NullNode.instance : submission.payload();
    int depth = JsonDepth.of(payloadTree);
    if (depth > JsonDepth.MAX) {
      throw new InvalidRequestException(
          "payload nests " + depth + " levels of arrays and objects; at most " + JsonDepth.MAX);
    }
    String payload = text(payloadTree);
    int size = payload.getBytes(StandardCharsets.UTF_8).length;
    if (size > plan.maxPayloadBytes()) {
      throw new PayloadTooLargeException(
          "payload is "
              + size
              + " bytes; plan "
              + plan.name()
              + " allows "
              + plan.maxPayloadBytes());
    }
    String affinityKey = submission.affinityKey();
    String storedKey = affinityKey == null ? "" : affinityKey;
    String idempotencyKey = submission.idempotencyKey();
    if (idempotencyKey != null) {
      var existing = jobs.findByIdempotencyKey(tenant.id(), idempotencyKey);
      if (existing.isPresent()) {
        return sameRequestOrConflict(existing.get(), type, payloadTree, storedKey, storedLocation);
      }
    }
    limits.admit(tenant, plan);
    Instant now = clock.instant();
    Job job =
        new Job(
            UUID.randomUUID(),
            tenant.id(),
            type,
            payload,
            storedKey,
            idempotencyKey,
            JobStatus.QUEUED,
            0,
            plan.maxAttempts(),
            plan.jobTimeout().toMillis(),
            null,
            null,
            null,
            null,
            null,
            now,
            null,
            null,
            now,
            storedLocation);
    try {
      jobs.save(job);
    } catch (DataAccessException e) {
      if (idempotencyKey != null) {
        // Two submissions with one key raced; the unique index chose the winner.
        var winner = jobs.findByIdempotencyKey(tenant.id(), idempotencyKey);
        if (winner.isPresent()) {
          return sameRequestOrConflict(winner.get(), type, payloadTree, storedKey, storedLocation);
        }
      }
      throw e;
    }
    routing.request(tenant.id());
    return job;
  }

  /**
   * A key names one request: the same type, payload (compared as JSON, so key order does not
   * matter), affinity key and location get the first job back; anything else is a conflict, never
   * dropped.
   */
  private Job sameRequestOrConflict(
      Job existing, String type, JsonNode payload, String affinityKey, String location) {
    String differs = null;
    if (!existing.type().equals(type)) {
      differs = "type " + existing.type();
    } else if (!existing.affinityKey().equals(affinityKey)) {
      differs =
          existing.affinityKey().isEmpty()
              ? "no affinityKey"
              : "affinityKey " + existing.affinityKey();
    } else if (!existing.location().equals(location)) {
      differs = existing.location().isEmpty() ? "no location" : "location " + existing.location();
    } else if (!tree(existing.payload()).equals(payload)) {
      differs = "another payload";
    }
    if (differs != null) {
      throw new ConflictException(
          "idempotencyKey already used for job "
              + existing.id()
              + " with "
              + differs
              + "; send the same request again or use a new key");
    }
    return existing;
  }

  /**
   * The location as stored ('' for none), if the runtime of the tenant's plan can start a worker
   * there; a job it could never run is refused rather than left waiting.
   */
  private String servedLocation(Plan plan, @Nullable String location) {
    if (location == null) {
      return "";
    }
    String kind = runtimes.kindOf(plan);
    Set<String> served = new TreeSet<>(runtimes.of(kind).locations());
    if (!served.contains(location)) {
      throw new InvalidRequestException(
          "location '"
              + location
              + "' is not served here: runtime '"
              + kind
              + (served.isEmpty()
                  ? "' serves no locations"
                  : "' serves: " + String.join(", ", served)));
    }
    return location;
  }

  private String text(JsonNode payload) {
    try {
      return json.writeValueAsString(Argument.of(JsonNode.class), payload);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode tree(String text) {
    try {
      return json.readValue(text, JsonNode.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Job get(Tenant tenant, String id) {
    return jobs.findForTenant(parseId(id), tenant.id())
        .orElseThrow(() -> new NotFoundException("job '" + id + "' not found"));
  }

  public List<Job> page(
      Tenant tenant,
      @Nullable JobStatus status,
      @Nullable Instant beforeCreatedAt,
      @Nullable UUID beforeId,
      int limit) {
    return jobs.findPage(
        tenant.id(), status == null ? null : status.name(), beforeCreatedAt, beforeId, limit);
  }

  /** Cancels a job that has not been dispatched yet. */
  public Job cancel(Tenant tenant, String id) {
    Job job = get(tenant, id);
    if (jobs.cancelQueued(job.id(), clock.instant()) != 1) {
      Job current = get(tenant, id);
      throw new ConflictException(
          "job " + id + " is " + current.status() + "; only QUEUED jobs can be cancelled");
    }
    return get(tenant, id);
  }

  private static UUID parseId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("job '" + id + "' not found");
    }
  }
}
