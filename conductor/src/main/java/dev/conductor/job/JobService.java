package dev.conductor.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.api.ApiException;
import dev.conductor.api.ConflictException;
import dev.conductor.api.InvalidRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.api.PayloadTooLargeException;
import dev.conductor.api.TooManyRequestsException;
import dev.conductor.metrics.JobMetrics;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.runtime.WorkerRuntimes;
import dev.conductor.tenant.Tenant;
import dev.conductor.tracing.TraceContext;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.IntStream;

/** Submitting, reading, listing and cancelling a tenant's jobs. */
@Singleton
public class JobService {
  private final JobRepository jobs;
  private final Plans plans;
  private final WorkerRuntimes runtimes;
  private final RoutingRequests routing;
  private final SubmitLimits limits;
  private final JobInserts inserts;
  private final JobPages pages;
  private final JsonMapper json;
  private final JobMetrics metrics;
  private final Clock clock;

  JobService(
      JobRepository jobs,
      Plans plans,
      WorkerRuntimes runtimes,
      RoutingRequests routing,
      SubmitLimits limits,
      JobInserts inserts,
      JobPages pages,
      JsonMapper json,
      JobMetrics metrics,
      Clock clock) {
    this.jobs = jobs;
    this.plans = plans;
    this.runtimes = runtimes;
    this.routing = routing;
    this.limits = limits;
    this.inserts = inserts;
    this.pages = pages;
    this.json = json;
    this.metrics = metrics;
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
      @Nullable String location)
      implements Entry {}

  /** A job of a batch as it reaches the service: a submission, or already refused at the edge. */
  public sealed interface Entry permits Submission, Refused {}

  /** What became of a job of a batch. */
  public sealed interface Outcome permits Accepted, Refused {}

  /** Stored now, or an earlier job returned for the same idempotency key ({@code replayed}). */
  public record Accepted(Job job, boolean replayed) implements Outcome {}

  /** Refused as {@code POST /v1/jobs} would have refused it; nothing of it is stored. */
  public record Refused(ApiException reason) implements Entry, Outcome {}

  public Job submit(Tenant tenant, Submission submission) {
    requireServing(tenant);
    Plan plan = plans.require(tenant.plan());
    JsonNode payloadTree = payloadTree(submission);
    Job job = checked(tenant, plan, submission, payloadTree);
    String idempotencyKey = job.idempotencyKey();
    if (idempotencyKey != null) {
      var existing = jobs.findByIdempotencyKey(tenant.id(), idempotencyKey);
      if (existing.isPresent()) {
        return sameRequestOrConflict(existing.get(), job, payloadTree);
      }
    }
    try {
      limits.admitAndStore(tenant, plan, () -> jobs.save(job));
    } catch (DataAccessException e) {
      if (idempotencyKey != null) {
        // Two submissions with one key raced; the unique index chose the winner.
        var winner = jobs.findByIdempotencyKey(tenant.id(), idempotencyKey);
        if (winner.isPresent()) {
          return sameRequestOrConflict(winner.get(), job, payloadTree);
        }
      }
      throw e;
    }
    metrics.submitted(tenant.name(), job.type(), 1);
    routing.request(tenant.id());
    return job;
  }

  /**
   * A batch: each job checked as {@link #submit} checks it, the new ones stored by one multi-row
   * insert in one transaction, one routing request. A job's outcome never depends on a later job's;
   * a repeated idempotency key within the batch is resolved against its first use. New jobs beyond
   * the plan's quota or rate are refused with 429, in order: the first ones that fit are stored.
   */
  public List<Outcome> submitAll(Tenant tenant, List<Entry> entries) {
    requireServing(tenant);
    Plan plan = plans.require(tenant.plan());
    int n = entries.size();
    Outcome[] outcomes = new Outcome[n];
    Job[] checked = new Job[n];
    JsonNode[] payloads = new JsonNode[n];
    for (int i = 0; i < n; i++) {
      Entry entry = entries.get(i);
      if (entry instanceof Refused refused) {
        outcomes[i] = refused;
      } else if (entry instanceof Submission submission) {
        try {
          payloads[i] = payloadTree(submission);
          checked[i] = checked(tenant, plan, submission, payloads[i]);
        } catch (ApiException e) {
          outcomes[i] = new Refused(e);
        }
      }
    }
    Map<String, Job> stored = byKey(tenant, keysOf(checked, IntStream.range(0, n)));
    Map<String, Integer> firstOfKey = new HashMap<>();
    List<Integer> fresh = new ArrayList<>();
    List<Integer> repeats = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Job job = checked[i];
      if (job == null) {
        continue;
      }
      String key = job.idempotencyKey();
      if (key != null && stored.containsKey(key)) {
        outcomes[i] = replayOrConflict(stored.get(key), job, payloads[i]);
      } else if (key != null && firstOfKey.containsKey(key)) {
        repeats.add(i);
      } else {
        if (key != null) {
          firstOfKey.put(key, i);
        }
        fresh.add(i);
      }
    }
    SubmitLimits.Admission admission = new SubmitLimits.Admission(0, null);
    Set<UUID> inserted = Set.of();
    if (!fresh.isEmpty()) {
      Stored result =
          limits.admitAndStore(
              tenant,
              plan,
              fresh.size(),
              admitting ->
                  new Stored(
                      admitting,
                      inserts.insertQueued(
                          tenant.id(),
                          plan.maxAttempts(),
                          plan.jobTimeout().toMillis(),
                          fresh.subList(0, admitting.admitted()).stream()
                              .map(i -> checked[i])
                              .toList())));
      admission = result.admission();
      inserted = result.inserted();
    }
    List<Integer> admitted = fresh.subList(0, admission.admitted());
    TooManyRequestsException over = admission.refusal();
    for (int i : fresh.subList(admission.admitted(), fresh.size())) {
      outcomes[i] = new Refused(Objects.requireNonNull(over, "refusal of a job not admitted"));
    }
    // The job that holds each key of this batch once it is stored: its own, or a racing winner's.
    Map<String, Job> holders = new HashMap<>();
    List<Integer> lost = new ArrayList<>();
    for (int i : admitted) {
      Job job = checked[i];
      if (inserted.contains(job.id())) {
        outcomes[i] = new Accepted(job, false);
        if (job.idempotencyKey() != null) {
          holders.put(job.idempotencyKey(), job);
        }
      } else {
        lost.add(i);
      }
    }
    if (!lost.isEmpty()) {
      // Another submission took these keys between the lookup and the insert.
      Map<String, Job> winners = byKey(tenant, keysOf(checked, lost.stream().mapToInt(i -> i)));
      for (int i : lost) {
        String key = checked[i].idempotencyKey();
        Job winner = key == null ? null : winners.get(key);
        if (winner == null) {
          throw new IllegalStateException(
              "job " + checked[i].id() + " was not stored and no job holds its key");
        }
        outcomes[i] = replayOrConflict(winner, checked[i], payloads[i]);
        holders.put(key, winner);
      }
    }
    for (int i : repeats) {
      String key = Objects.requireNonNull(checked[i].idempotencyKey(), "a repeated key");
      Job holder = holders.get(key);
      outcomes[i] =
          holder != null
              ? replayOrConflict(holder, checked[i], payloads[i])
              : outcomes[Objects.requireNonNull(firstOfKey.get(key), "first use of a key")];
    }
    if (!inserted.isEmpty()) {
      Map<String, Integer> byType = new HashMap<>();
      for (int i : admitted) {
        if (inserted.contains(checked[i].id())) {
          byType.merge(checked[i].type(), 1, Integer::sum);
        }
      }
      byType.forEach((type, count) -> metrics.submitted(tenant.name(), type, count));
      routing.request(tenant.id());
    }
    return Arrays.asList(outcomes);
  }

  /** What a batch's admission let in, and the ids the insert stored. */
  private record Stored(SubmitLimits.Admission admission, Set<UUID> inserted) {}

  private Outcome replayOrConflict(Job existing, Job job, JsonNode payload) {
    try {
      return new Accepted(sameRequestOrConflict(existing, job, payload), true);
    } catch (ConflictException e) {
      return new Refused(e);
    }
  }

  private static Set<String> keysOf(Job[] checked, IntStream indexes) {
    Set<String> keys = new HashSet<>();
    indexes.forEach(
        i -> {
          if (checked[i] != null && checked[i].idempotencyKey() != null) {
            keys.add(checked[i].idempotencyKey());
          }
        });
    return keys;
  }

  private Map<String, Job> byKey(Tenant tenant, Set<String> keys) {
    Map<String, Job> found = new HashMap<>();
    if (!keys.isEmpty()) {
      for (Job job : jobs.findByIdempotencyKeys(tenant.id(), keys)) {
        found.put(Objects.requireNonNull(job.idempotencyKey(), "a found key"), job);
      }
    }
    return found;
  }

  private static void requireServing(Tenant tenant) {
    if (!tenant.status().serving()) {
      throw new ConflictException(
          "tenant '"
              + tenant.name()
              + "' is "
              + tenant.status()
              + "; jobs are accepted once it is READY");
    }
  }

  private static JsonNode payloadTree(Submission submission) {
    return submission.payload() == null ? NullNode.instance : submission.payload();
  }

  /**
   * The job to store if the plan accepts its type, location, payload depth and size; refuses it
   * (422, 413) otherwise. Its idempotency key is not looked at yet.
   */
  private Job checked(Tenant tenant, Plan plan, Submission submission, JsonNode payloadTree) {
    String type = submission.type();
    if (!plan.acceptedJobTypes().contains(type)) {
      throw new InvalidRequestException(
          "unknown job type '"
              + type
              + "'; this tenant's workers run: "
              + String.join(", ", plan.acceptedJobTypes()));
    }
    String storedLocation = servedLocation(plan, submission.location());
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
    Instant now = clock.instant();
    return new Job(
        UUID.randomUUID(),
        tenant.id(),
        type,
        payload,
        affinityKey == null ? "" : affinityKey,
        submission.idempotencyKey(),
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
        storedLocation,
        TraceContext.current());
  }

  /**
   * A key names one request: the same type, payload (compared as JSON, so key order does not
   * matter), affinity key and location get the first job back; anything else is a conflict, never
   * dropped.
   */
  private Job sameRequestOrConflict(Job existing, Job job, JsonNode payload) {
    String type = job.type();
    String affinityKey = job.affinityKey();
    String location = job.location();
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
      JobFilter filter,
      @Nullable Instant beforeCreatedAt,
      @Nullable UUID beforeId,
      int limit) {
    return pages.find(tenant.id(), filter, beforeCreatedAt, beforeId, limit);
  }

  /**
   * Submits a FAILED job again as a new job (same type, payload, affinity key and location; no
   * idempotency key), checked as any submission is against the tenant's plan today. The failed job
   * stays as it ended, its history intact.
   */
  public Job rerun(Tenant tenant, String id) {
    Job failed = get(tenant, id);
    if (failed.status() != JobStatus.FAILED) {
      throw new ConflictException(
          "job " + id + " is " + failed.status() + "; only FAILED jobs can be re-run");
    }
    return submit(
        tenant,
        new Submission(
            failed.type(),
            tree(failed.payload()),
            failed.affinityKey().isEmpty() ? null : failed.affinityKey(),
            null,
            failed.location().isEmpty() ? null : failed.location()));
  }

  /** Cancels a job that has not been dispatched yet. */
  public Job cancel(Tenant tenant, String id) {
    Job job = get(tenant, id);
    if (jobs.cancelQueued(job.id(), clock.instant()) != 1) {
      Job current = get(tenant, id);
      throw new ConflictException(
          "job " + id + " is " + current.status() + "; only QUEUED jobs can be cancelled");
    }
    metrics.finished(tenant.name(), job.type(), "CANCELLED", null);
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
