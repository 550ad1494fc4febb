package dev.conductor.routing;

import dev.conductor.fleet.WorkerInstance;
import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.job.InFlightCount;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.JobStatus;
import dev.conductor.job.RoutingRequests;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.routing.DispatchEffects.Committed;
import dev.conductor.routing.DispatchEffects.Send;
import dev.conductor.routing.RoutingPlan.Assignment;
import dev.conductor.routing.RoutingSnapshot.Limits;
import dev.conductor.routing.RoutingSnapshot.LiveWorker;
import dev.conductor.routing.RoutingSnapshot.QueuedJob;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs routing passes, one tenant at a time per request: under the tenant's row lock it reads a
 * {@link RoutingSnapshot}, lets {@link Router} decide, and records the decision (jobs DISPATCHED,
 * workers' last activity, STARTING workers) in one transaction, so replicas never double-dispatch.
 * After commit, {@link DispatchEffects} sends the messages and starts the workers.
 */
@Singleton
public class Dispatcher implements RoutingRequests {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int BATCH = 1000;
  // A routing pass is one transaction, its effects a few sends: far shorter than this.
  private static final Duration PASS_WAIT = Duration.ofSeconds(10);

  private final TenantRepository tenants;
  private final JobRepository jobs;
  private final QueuedJobs queue;
  private final WorkerRepository workers;
  private final Plans plans;
  private final WorkerLifecycle lifecycle;
  private final DispatchEffects effects;
  private final TransactionOperations<Connection> tx;
  private final Clock clock;
  private final ExecutorService passes;
  // One pass at a time per tenant, tenants side by side: a pass that waits on the database (a
  // tenant with a large backlog, say) delays only its own tenant's next pass.
  private final TenantLanes lanes;
  private final Set<UUID> requested = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;

  Dispatcher(
      TenantRepository tenants,
      JobRepository jobs,
      QueuedJobs queue,
      WorkerRepository workers,
      Plans plans,
      WorkerLifecycle lifecycle,
      DispatchEffects effects,
      TransactionOperations<Connection> tx,
      Clock clock,
      @Named("routing") ExecutorService passes) {
    this.tenants = tenants;
    this.jobs = jobs;
    this.queue = queue;
    this.workers = workers;
    this.plans = plans;
    this.lifecycle = lifecycle;
    this.effects = effects;
    this.tx = tx;
    this.clock = clock;
    this.passes = passes;
    this.lanes = new TenantLanes(passes);
  }

  /**
   * Asks for a routing pass over the tenant's queue, after its pass under way if there is one;
   * requests arriving before the pass starts coalesce.
   */
  @Override
  public void request(UUID tenantId) {
    if (stopped) {
      return;
    }
    if (requested.add(tenantId)) {
      lanes.execute(
          tenantId,
          () -> {
            requested.remove(tenantId);
            try {
              dispatch(tenantId);
            } catch (RuntimeException e) {
              LOG.warn("routing pass failed tenant={}", tenantId, e);
            }
          });
    }
  }

  void dispatch(UUID tenantId) {
    Committed committed = tx.executeWrite(status -> decide(tenantId));
    if (committed != null) {
      effects.apply(committed);
    }
  }

  private @Nullable Committed decide(UUID tenantId) {
    Tenant tenant = tenants.lockById(tenantId).orElse(null);
    if (tenant == null || !tenant.status().serving() || !jobs.hasDispatchable(tenantId)) {
      return null;
    }
    Plan plan = plans.require(tenant.plan());
    // Locked: a teardown deciding on one of these workers waits for this pass.
    List<LiveWorker> live = liveWorkers(tenantId, workers.lockLive(tenantId));
    Limits limits =
        new Limits(plan.workerCapacity(), plan.maxWorkersPerKey(), plan.maxWorkersPerTenant());
    // Free capacity first: read only what can be placed, and nothing when nothing can.
    Router.Headroom room = Router.headroom(live, limits, BATCH);
    if (room.isEmpty()) {
      return null;
    }
    List<Job> queued = queue.head(tenantId, room);
    if (queued.isEmpty()) {
      return null;
    }
    RoutingPlan decision =
        Router.decide(
            new RoutingSnapshot(
                queued.stream()
                    .map(
                        job ->
                            new QueuedJob(
                                job.id(), new Placement(job.affinityKey(), job.location())))
                    .toList(),
                live,
                limits,
                workers.countFailedStartsSince(
                    tenantId, clock.instant().minus(Router.CRASH_WINDOW))));
    if (decision.startsHeld()) {
      LOG.warn(
          "not starting workers tenant={}: {} workers failed to start in the last {}s; jobs wait",
          tenant.name(),
          Router.MAX_FAILED_STARTS,
          Router.CRASH_WINDOW.toSeconds());
    }
    if (decision.isEmpty()) {
      return null;
    }
    Committed committed = record(tenant, plan, queued, decision);
    LOG.debug(
        "dispatch tenant={} sent={} waiting={} starting={}",
        tenant.name(),
        committed.sends().size(),
        decision.waiting(),
        committed.registered().size());
    return committed;
  }

  /** The tenant's live workers with their jobs in flight, counted (no job rows loaded). */
  private List<LiveWorker> liveWorkers(UUID tenantId, List<WorkerInstance> live) {
    Map<UUID, Long> load = new HashMap<>();
    for (InFlightCount count : jobs.countInFlight(tenantId)) {
      load.put(count.workerId(), count.count());
    }
    return live.stream()
        .map(
            w ->
                new LiveWorker(
                    w.id(),
                    new Placement(w.affinityKey(), w.location()),
                    w.state(),
                    w.capacity(),
                    load.getOrDefault(w.id(), 0L)))
        .toList();
  }

  /** Writes the decision, in the pass's transaction. */
  private Committed record(Tenant tenant, Plan plan, List<Job> queued, RoutingPlan decision) {
    Instant now = clock.instant();
    Map<UUID, Job> byId = queued.stream().collect(Collectors.toMap(Job::id, Function.identity()));
    Map<UUID, List<UUID>> perWorker = new LinkedHashMap<>();
    for (Assignment assignment : decision.assignments()) {
      perWorker
          .computeIfAbsent(assignment.workerId(), w -> new ArrayList<>())
          .add(assignment.jobId());
    }
    List<Send> sends = new ArrayList<>();
    Set<UUID> busy = new LinkedHashSet<>();
    // One UPDATE per worker per pass; a job cancelled meanwhile is not among those changed.
    perWorker.forEach(
        (workerId, ids) -> {
          for (UUID id : queue.dispatch(workerId, ids, now)) {
            Job job = Objects.requireNonNull(byId.get(id), "assigned from the queue");
            sends.add(new Send(dispatched(job, workerId), workerId));
            busy.add(workerId);
          }
        });
    if (!busy.isEmpty()) {
      workers.recordActivity(busy, now);
    }
    List<WorkerInstance> registered =
        decision.starts().stream()
            .map(
                start ->
                    lifecycle.register(
                        tenant.id(), start.affinityKey(), start.location(), start.capacity()))
            .toList();
    return new Committed(tenant, plan, sends, registered);
  }

  /** The job as its dispatch left it: what its message carries. */
  private static Job dispatched(Job job, UUID workerId) {
    return new Job(
        job.id(),
        job.tenantId(),
        job.type(),
        job.payload(),
        job.affinityKey(),
        job.idempotencyKey(),
        JobStatus.DISPATCHED,
        job.attempts() + 1,
        job.maxAttempts(),
        job.timeoutMs(),
        workerId,
        null,
        null,
        job.notBefore(),
        null,
        job.createdAt(),
        null,
        null,
        job.updatedAt(),
        job.location(),
        job.traceparent());
  }

  /**
   * Routes nothing more (the conductor is stopping: no job is sent, no worker started); a pass
   * under way ends first, and so do the effects of passes already committed.
   */
  @PreDestroy
  public void stop() {
    stopped = true;
    passes.shutdown();
    try {
      if (!passes.awaitTermination(PASS_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("routing pass still running after {} s; interrupting it", PASS_WAIT.toSeconds());
        passes.shutdownNow();
      }
      if (!effects.awaitApplied(PASS_WAIT)) {
        LOG.warn("sends and worker starts still under way after {} s", PASS_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      passes.shutdownNow();
    }
  }
}
