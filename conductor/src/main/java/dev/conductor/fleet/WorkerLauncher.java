package dev.conductor.fleet;

import dev.conductor.bus.WorkerBusEndpoint;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.plan.Plan;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerLimits;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimes;
import dev.conductor.tenant.TenantResources;
import dev.conductor.tracing.Tracing;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops worker processes through the {@link WorkerRuntime} of the tenant's plan (a
 * worker's stop goes to the runtime it started on): the GUID-filtered subscription first, then the
 * process with the tenant's own bus credentials. Only {@link WorkerLifecycle} calls it; it records
 * nothing itself.
 */
@Singleton
class WorkerLauncher {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerLauncher.class);
  // SIGTERM, then SIGKILL after this.
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);

  private final MessageBus bus;
  private final WorkerRuntimes runtimes;
  private final WorkerBusEndpoint busEndpoint;
  private final TenantResources resources;
  private final FleetSettings settings;

  private final Tracing tracing;

  WorkerLauncher(
      MessageBus bus,
      WorkerRuntimes runtimes,
      WorkerBusEndpoint busEndpoint,
      TenantResources resources,
      FleetSettings settings,
      Tracing tracing) {
    this.tracing = tracing;
    this.bus = bus;
    this.runtimes = runtimes;
    this.busEndpoint = busEndpoint;
    this.resources = resources;
    this.settings = settings;
  }

  /**
   * A started worker: its runtime's kind, the runtime's reference to it, its exit, and where its
   * traffic leaves from (null: the runtime cannot tell).
   */
  record Started(
      String runtime,
      String runtimeRef,
      CompletableFuture<?> exit,
      @Nullable String egressAddress) {}

  /** Creates the worker's GUID-filtered subscription, then starts its process. */
  Started launch(WorkerInstance worker, String tenant, Plan plan) {
    ResourceNames names = ResourceNames.of(new TenantName(tenant));
    bus.createSubscription(
        names.jobTopic(),
        Topology.workerSubscription(worker.id().toString()),
        CorrelationFilter.of(WireFormat.WORKER_ID, worker.id().toString()));
    Resource credentials =
        resources
            .resource(worker.tenantId(), TenantResources.QUEUE)
            .filter(r -> r.identifiers().containsKey("workerUser"))
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "tenant " + tenant + " has no worker bus credentials; re-provision it"));
    Map<String, String> environment =
        environment(worker, tenant, busEndpoint, credentials, settings);
    String otlpEndpoint = tracing.otlpEndpoint();
    if (otlpEndpoint != null) {
      // Only when set: a worker without it creates no spans at all.
      environment.put("CONDUCTOR_TRACING_OTLP_ENDPOINT", otlpEndpoint);
    }
    String logFormat = System.getenv("CONDUCTOR_LOG_FORMAT");
    if (logFormat != null) {
      // Workers log as their conductor does (docs/tracing.md#logs).
      environment.put("CONDUCTOR_LOG_FORMAT", logFormat);
    }
    String kind = runtimes.kindOf(plan);
    WorkerRuntime runtime = runtimes.of(kind);
    WorkerLaunch launch =
        new WorkerLaunch(
            worker.id(),
            tenant,
            plan.workerImage(),
            plan.command(),
            environment,
            worker.affinityKey(),
            worker.generation(),
            new WorkerLimits(plan.workerCpus(), plan.workerMemory()),
            worker.location());
    String ref = runtime.start(launch);
    return new Started(kind, ref, runtime.onExit(ref), egressAddress(runtime, launch));
  }

  /** Where the runtime says the worker's traffic leaves from; not knowing never fails a start. */
  private static @Nullable String egressAddress(WorkerRuntime runtime, WorkerLaunch launch) {
    try {
      return runtime.egressAddress(launch).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("egress address not known worker={}: {}", launch.workerId(), e.getMessage());
      return null;
    }
  }

  /** What a worker reads at start (see worker-container/README.md). */
  static Map<String, String> environment(
      WorkerInstance worker,
      String tenant,
      WorkerBusEndpoint busEndpoint,
      Resource credentials,
      FleetSettings settings) {
    ResourceNames names = ResourceNames.of(new TenantName(tenant));
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_WORKER_ID", worker.id().toString());
    environment.put("CONDUCTOR_TENANT", tenant);
    environment.put("CONDUCTOR_AFFINITY_KEY", worker.affinityKey());
    environment.put("CONDUCTOR_WORKER_CAPACITY", Integer.toString(worker.capacity()));
    // The tenant's own principal: receive from its subscriptions, send to its control queue.
    environment.putAll(busEndpoint.environment());
    environment.put("CONDUCTOR_BUS_USER", credentials.identifiers().get("workerUser"));
    environment.put("CONDUCTOR_BUS_PASSWORD", credentials.secrets().get("workerPassword"));
    environment.put("CONDUCTOR_JOB_TOPIC", names.jobTopic());
    environment.put("CONDUCTOR_CONTROL_QUEUE", names.controlQueue());
    environment.put("CONDUCTOR_HEARTBEAT_INTERVAL", settings.heartbeatInterval().toMillis() + "ms");
    environment.put("CONDUCTOR_SHUTDOWN_GRACE", settings.shutdownGrace().toMillis() + "ms");
    return environment;
  }

  /** Stops the process now (SIGTERM, then SIGKILL after a short grace); completes when it ended. */
  CompletableFuture<?> kill(WorkerInstance worker) {
    if (worker.runtimeRef() == null) {
      return CompletableFuture.completedFuture(null);
    }
    WorkerRuntime runtime = runtimes.of(runtimes.kindOr(worker.runtime()));
    runtime.stop(worker.runtimeRef(), KILL_GRACE);
    return runtime.onExit(worker.runtimeRef());
  }
}
