package dev.conductor.fleet;

import dev.conductor.api.MalformedRequestException;
import dev.conductor.api.NotFoundException;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.job.JobRepository;
import dev.conductor.openapi.Answers;
import dev.conductor.openapi.OperatorApi;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The operator's view of workers, and draining one by hand. */
@Controller("/v1/workers")
@Tag(name = "workers")
@OperatorApi
public class WorkerController {
  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final WorkerLifecycle lifecycle;
  private final WorkerLogs logs;

  WorkerController(
      WorkerRepository workers,
      JobRepository jobs,
      TenantRepository tenants,
      WorkerLifecycle lifecycle,
      WorkerLogs logs) {
    this.workers = workers;
    this.jobs = jobs;
    this.tenants = tenants;
    this.lifecycle = lifecycle;
    this.logs = logs;
  }

  /** Live workers; {@code all=true} adds the ones that ended. */
  @Get
  @Answers.NotFound
  @Operation(operationId = "listWorkers")
  public List<WorkerView> list(
      @Nullable @QueryValue String tenant, @Nullable @QueryValue Boolean all) {
    UUID tenantId = null;
    if (tenant != null) {
      tenantId =
          tenants
              .findLive(tenant)
              .map(Tenant::id)
              .orElseThrow(() -> new NotFoundException("tenant '" + tenant + "' not found"));
    }
    List<WorkerInstance> found = workers.findForListing(tenantId, Boolean.TRUE.equals(all));
    Map<UUID, String> names = new HashMap<>();
    Map<UUID, Long> inFlight = new HashMap<>();
    // Two queries per tenant listed, not per worker.
    for (WorkerInstance worker : found) {
      UUID id = worker.tenantId();
      if (!names.containsKey(id)) {
        jobs.countInFlight(id).forEach(c -> inFlight.put(c.workerId(), c.count()));
        names.put(id, tenants.findById(id).map(Tenant::name).orElse(""));
      }
    }
    return found.stream()
        .map(
            w ->
                view(
                    w,
                    Objects.requireNonNull(names.get(w.tenantId()), "named above"),
                    inFlight.getOrDefault(w.id(), 0L)))
        .toList();
  }

  /** One worker, live or ended: where it runs, its egress address, its state. */
  @Get("/{id}")
  @Answers.NotFound
  @Operation(operationId = "getWorker")
  public WorkerView show(String id) {
    return viewOf(find(id));
  }

  /** The worker's output on whichever runtime it ran; {@code tail=N}: its last N lines. */
  @Get(value = "/{id}/logs", produces = MediaType.TEXT_PLAIN)
  @Answers.NotFound
  public String logs(String id, @Nullable @QueryValue String tail) {
    return logs.of(workerId(id), parseTail(tail));
  }

  private static @Nullable Integer parseTail(@Nullable String tail) {
    if (tail == null) {
      return null;
    }
    try {
      int lines = Integer.parseInt(tail);
      if (lines >= 0) {
        return lines;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MalformedRequestException("tail must be a number of lines, 0 or more");
  }

  @Post("/{id}/drain")
  @Answers.NotFound
  public WorkerView drain(String id) {
    WorkerInstance worker = find(id);
    return viewOf(worker.state().live() ? lifecycle.drain(worker.id()) : worker);
  }

  private WorkerInstance find(String id) {
    return workers
        .findById(workerId(id))
        .orElseThrow(() -> new NotFoundException("worker '" + id + "' not found"));
  }

  /** The worker as one view shows it: with its tenant's name and its jobs in flight now. */
  private WorkerView viewOf(WorkerInstance worker) {
    String tenant = tenants.findById(worker.tenantId()).map(Tenant::name).orElse("");
    return view(worker, tenant, jobs.countInFlightOn(worker.id()));
  }

  private static UUID workerId(String id) {
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("worker '" + id + "' not found");
    }
  }

  private static WorkerView view(WorkerInstance worker, String tenant, long inFlight) {
    return new WorkerView(
        worker.id().toString(),
        tenant,
        worker.affinityKey().isEmpty() ? null : worker.affinityKey(),
        worker.state().name(),
        inFlight,
        worker.capacity(),
        worker.startedAt(),
        worker.lastActivityAt(),
        worker.generation(),
        worker.stopReason(),
        worker.location().isEmpty() ? null : worker.location(),
        worker.egressAddress(),
        worker.runtime());
  }
}
