package dev.conductor.routing;

import dev.conductor.Threads;
import dev.conductor.job.InFlightCount;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.JobStatus;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import dev.conductor.workers.WorkerFleet;
import dev.conductor.workers.WorkerInstance;
import dev.conductor.workers.WorkerLifecycle;
import dev.conductor.workers.WorkerRepository;
import dev.conductor.workers.WorkerState;
import io.micronaut.transaction.TransactionOperations;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes a tenant's queued jobs: to the least-loaded READY worker of the job's affinity key with
 * free capacity; else starts workers within the plan's limits, never more than the demand that
 * STARTING workers will not absorb; else the job waits. Decisions are made in one transaction per
 * tenant under the tenant's row lock (replicas never double-dispatch); messages and processes
 * follow after commit.
 */
@Singleton
public class Dispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final int BATCH = 1000;
  // A worker template that cannot start must not turn into a fork storm.
  private static final int MAX_FAILED_STARTS = 3;
  private static final Duration CRASH_WINDOW = Duration.ofSeconds(30);
  // A routing pass is one transaction plus sends: far shorter than this.
  private static final Duration PASS_WAIT = Duration.ofSeconds(10);

  private final TenantRepository tenants;
  private final JobRepository jobs;
  private final WorkerRepository workers;
  private final Plans plans;
  private final WorkerFleet fleet;
  private final Provider<WorkerLifecycle> lifecycle;
  private final TransactionOperations<Connection> tx;
  private final Clock clock;
  private final Set<UUID> requested = ConcurrentHashMap.newKeySet();
  private volatile boolean stopped;
  private final ExecutorService loop =
      Executors.newSingleThreadExecutor(Threads.daemon("dispatcher"));

  Dispatcher(
      TenantRepository tenants,
      JobRepository jobs,
      WorkerRepository workers,
      Plans plans,
      WorkerFleet fleet,
      Provider<WorkerLifecycle> lifecycle,
      TransactionOperations<Connection> tx,
      Clock clock) {
    this.tenants = tenants;
    this.jobs = jobs;
    this.workers = workers;
    this.plans = plans;
    this.fleet = fleet;
    this.lifecycle = lifecycle;
    this.tx = tx;
    this.clock = clock;
  }

  /** Asks for a routing pass over the tenant's queue; requests arriving meanwhile coalesce. */
  public void request(UUID tenantId) {
    if (stopped) {
      return;
    }
    if (requested.add(tenantId)) {
      loop.execute(
          () -> {
            requested.remove(tenantId);
            try {
              dispatch(tenantId);
            } catch (RuntimeException e) {
              LOG.warn("dispatch failed tenant={}: {}", tenantId, e.toString());
            }
          });
    }
  }

  /** One job handed to one worker, to be sent after commit. */
  record Send(Job job, UUID workerId) {}

  /** What a routing pass decided. */
  record Decisions(
      Tenant tenant,
      Plan plan,
      List<Send> sends,
      Map<UUID, Long> generations,
      Map<UUID, String> teardownTokens,
      List<WorkerInstance> launches) {
    static Decisions none() {
      return new Decisions(null, null, List.of(), Map.of(), Map.of(), List.of());
    }
  }

  void dispatch(UUID tenantId) {
    Decisions decisions = tx.executeWrite(status -> decide(tenantId));
    if (decisions.tenant() == null) {
      return;
    }
    String tenant = decisions.tenant().name();
    for (Send send : decisions.sends()) {
      fleet.sendJob(send.job(), send.workerId(), tenant);
    }
    decisions
        .generations()
        .forEach(
            (workerId, generation) ->
                fleet.scheduleTeardown(
                    workerId,
                    tenant,
                    generation,
                    decisions.plan().idleTimeout(),
                    decisions.teardownTokens().get(workerId)));
    for (WorkerInstance worker : decisions.launches()) {
      try {
        fleet.launch(worker, tenant, decisions.plan(), id -> lifecycle.get().exited(id));
      } catch (RuntimeException e) {
        LOG.error("worker start failed worker={} tenant={}", worker.id(), tenant, e);
        lifecycle.get().lost(worker.id(), "failed to start: " + e.getMessage());
      }
    }
  }

  private Decisions decide(UUID tenantId) {
    Tenant tenant = tenants.lockById(tenantId).orElse(null);
    if (tenant == null || !tenant.status().serving()) {
      return Decisions.none();
    }
    List<Job> queued = jobs.findDispatchable(tenantId, BATCH);
    if (queued.isEmpty()) {
      return Decisions.none();
    }
    Plan plan = plans.require(tenant.plan());
    Instant now = clock.instant();
    List<WorkerInstance> live = workers.lockLive(tenantId);
    Map<UUID, Long> load = new HashMap<>();
    for (InFlightCount count : jobs.countInFlight(tenantId)) {
      load.put(count.workerId(), count.count());
    }
    List<Send> sends = new ArrayList<>();
    Map<UUID, Long> generations = new LinkedHashMap<>();
    Map<UUID, String> tokens = new HashMap<>();
    Map<String, Integer> waiting = new LinkedHashMap<>();
    for (Job job : queued) {
      WorkerInstance target =
          live.stream()
              .filter(w -> w.state() == WorkerState.READY)
              .filter(w -> w.affinityKey().equals(job.affinityKey()))
              .filter(w -> load.getOrDefault(w.id(), 0L) < w.capacity())
              .min(Comparator.comparingLong(w -> load.getOrDefault(w.id(), 0L)))
              .orElse(null);
      if (target == null) {
        waiting.merge(job.affinityKey(), 1, Integer::sum);
        continue;
      }
      if (jobs.markDispatched(job.id(), target.id(), now) == 1) {
        load.merge(target.id(), 1L, Long::sum);
        workers.bumpGeneration(target.id(), now);
        generations.merge(target.id(), target.generation() + 1, (a, b) -> a + 1);
        tokens.putIfAbsent(target.id(), target.teardownToken());
        sends.add(new Send(withDispatch(job, target.id()), target.id()));
      }
    }
    List<WorkerInstance> launches = new ArrayList<>();
    if (!waiting.isEmpty() && crashLooping(tenantId, now)) {
      LOG.warn(
          "not starting workers tenant={}: {} workers failed to start in the last {}s; jobs wait",
          tenant.name(),
          MAX_FAILED_STARTS,
          CRASH_WINDOW.toSeconds());
      waiting.clear();
    }
    waiting.forEach(
        (key, count) -> launches.addAll(startFor(tenant, plan, key, count, live, launches, now)));
    if (!sends.isEmpty() || !launches.isEmpty()) {
      LOG.debug(
          "dispatch tenant={} sent={} waiting={} starting={}",
          tenant.name(),
          sends.size(),
          waiting,
          launches.size());
    }
    return new Decisions(tenant, plan, sends, generations, tokens, launches);
  }

  private boolean crashLooping(UUID tenantId, Instant now) {
    return workers.countFailedStartsSince(tenantId, now.minus(CRASH_WINDOW)) >= MAX_FAILED_STARTS;
  }

  /**
   * Starts workers for {@code waiting} jobs of one key, after crediting what STARTING workers of
   * that key will absorb; bounded per key and per tenant (DRAINING workers do not count).
   */
  private List<WorkerInstance> startFor(
      Tenant tenant,
      Plan plan,
      String key,
      int waiting,
      List<WorkerInstance> live,
      List<WorkerInstance> launchedThisPass,
      Instant now) {
    List<WorkerInstance> active = new ArrayList<>(live);
    active.addAll(launchedThisPass);
    active.removeIf(w -> w.state() == WorkerState.DRAINING);
    int absorbed =
        active.stream()
            .filter(w -> w.state() == WorkerState.STARTING && w.affinityKey().equals(key))
            .mapToInt(WorkerInstance::capacity)
            .sum();
    long forKey = active.stream().filter(w -> w.affinityKey().equals(key)).count();
    long forTenant = active.size();
    List<WorkerInstance> started = new ArrayList<>();
    int uncovered = waiting - absorbed;
    while (uncovered > 0
        && forKey < plan.maxWorkersPerKey()
        && forTenant < plan.maxWorkersPerTenant()) {
      WorkerInstance worker = WorkerInstance.starting(tenant.id(), key, plan.workerCapacity(), now);
      workers.save(worker);
      started.add(worker);
      uncovered -= worker.capacity();
      forKey++;
      forTenant++;
    }
    return started;
  }

  private static Job withDispatch(Job job, UUID workerId) {
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
        job.updatedAt());
  }

  /**
   * Routes nothing more (the conductor is stopping: no job is sent, no worker started); a pass
   * under way ends first, so that what it decided is also done.
   */
  @PreDestroy
  public void stop() {
    stopped = true;
    loop.shutdown();
    try {
      if (!loop.awaitTermination(PASS_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("routing pass still running after {} s; interrupting it", PASS_WAIT.toSeconds());
        loop.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      loop.shutdownNow();
    }
  }
}
