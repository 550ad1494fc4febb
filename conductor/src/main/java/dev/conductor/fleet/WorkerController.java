package dev.conductor.fleet;

import dev.conductor.api.NotFoundException;
import dev.conductor.api.v1.WorkerView;
import dev.conductor.job.JobRepository;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The operator's view of workers, and draining one by hand. */
@Controller("/v1/workers")
public class WorkerController {
  private final WorkerRepository workers;
  private final JobRepository jobs;
  private final TenantRepository tenants;
  private final WorkerLifecycle lifecycle;

  WorkerController(
      WorkerRepository workers,
      JobRepository jobs,
      TenantRepository tenants,
      WorkerLifecycle lifecycle) {
    this.workers = workers;
    this.jobs = jobs;
    this.tenants = tenants;
    this.lifecycle = lifecycle;
  }

  /** Live workers; {@code all=true} adds the ones that ended. */
  @Get
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

  @Post("/{id}/drain")
  public WorkerView drain(String id) {
    UUID workerId;
    try {
      workerId = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("worker '" + id + "' not found");
    }
    WorkerInstance worker =
        workers
            .findById(workerId)
            .orElseThrow(() -> new NotFoundException("worker '" + id + "' not found"));
    if (worker.state().live()) {
      worker = lifecycle.drain(workerId);
    }
    String tenant = tenants.findById(worker.tenantId()).map(Tenant::name).orElse("");
    long inFlight = jobs.countInFlightOn(workerId);
    return view(worker, tenant, inFlight);
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
        worker.stopReason());
  }
}
