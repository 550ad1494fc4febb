package dev.conductor.workers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.Threads;
import dev.conductor.bus.WorkerBusEndpoint;
import dev.conductor.job.Job;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ScheduledMessage;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.plan.Plan;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.tenant.TenantResources;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side effects of running workers: subscriptions and processes, job messages, scheduled
 * teardowns and shutdowns. Decisions are made elsewhere, in transactions; this class acts on them
 * after commit.
 */
@Singleton
public class WorkerFleet {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerFleet.class);

  private final MessageBus bus;
  private final WorkerRuntime runtime;
  private final WorkerRepository workers;
  private final WorkerBusEndpoint busEndpoint;
  private final TenantResources resources;
  private final WorkerSettings settings;
  private final Clock clock;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Threads.daemon("worker-fleet"));

  WorkerFleet(
      MessageBus bus,
      WorkerRuntime runtime,
      WorkerRepository workers,
      WorkerBusEndpoint busEndpoint,
      TenantResources resources,
      WorkerSettings settings,
      Clock clock) {
    this.bus = bus;
    this.runtime = runtime;
    this.workers = workers;
    this.busEndpoint = busEndpoint;
    this.resources = resources;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * Creates the worker's GUID-filtered subscription, then starts it. {@code onExit} runs when the
   * runtime sees the worker end, so a crash is noticed at once rather than at the next reconcile.
   */
  public void launch(WorkerInstance worker, String tenant, Plan plan, Consumer<UUID> onExit) {
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
    String ref =
        runtime.start(
            new WorkerLaunch(worker.id(), tenant, plan.workerImage(), plan.command(), environment));
    workers.recordRuntimeRef(worker.id(), ref);
    runtime.onExit(ref).thenRun(() -> onExit.accept(worker.id()));
    LOG.info(
        "worker starting worker={} tenant={} affinityKey={} ref={}",
        worker.id(),
        tenant,
        worker.affinityKey(),
        ref);
  }

  /** What a worker reads at start (see worker-container/README.md). */
  static Map<String, String> environment(
      WorkerInstance worker,
      String tenant,
      WorkerBusEndpoint busEndpoint,
      Resource credentials,
      WorkerSettings settings) {
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

  public void sendJob(Job job, UUID workerId, String tenant) {
    JsonNode payload;
    try {
      payload = WireFormat.json().readTree(job.payload());
    } catch (IOException e) {
      throw new IllegalStateException("stored payload of job " + job.id() + " is not JSON", e);
    }
    ResourceNames names = ResourceNames.of(new TenantName(tenant));
    bus.send(
        names.jobTopic(),
        WireFormat.encode(
            Envelope.job(
                tenant,
                workerId.toString(),
                job.id().toString(),
                job.attempts(),
                job.type(),
                payload,
                job.timeoutMs(),
                null)));
  }

  /**
   * Schedules teardown(worker, generation) at now + idle and cancels the previous one. Correctness
   * rests on the generation check when it arrives; cancelling only saves work.
   */
  public void scheduleTeardown(
      UUID workerId, String tenant, long generation, Duration idle, String previousToken) {
    if (previousToken != null) {
      try {
        bus.cancelScheduled(new ScheduledMessage(Topology.TEARDOWN_QUEUE, previousToken));
      } catch (BusException e) {
        LOG.debug("cancel of teardown failed worker={}: {}", workerId, e.getMessage());
      }
    }
    ScheduledMessage scheduled =
        bus.schedule(
            Topology.TEARDOWN_QUEUE,
            WireFormat.encode(Envelope.teardown(tenant, workerId.toString(), generation)),
            clock.instant().plus(idle));
    workers.recordTeardown(workerId, generation, scheduled.token());
  }

  /** Tells the worker to stop and makes sure its process ends after the grace period. */
  public void shutdown(WorkerInstance worker, String tenant) {
    ResourceNames names = ResourceNames.of(new TenantName(tenant));
    try {
      bus.send(
          names.jobTopic(),
          WireFormat.encode(
              Envelope.shutdown(
                  tenant, worker.id().toString(), settings.shutdownGrace().toMillis())));
    } catch (BusException e) {
      LOG.warn("shutdown message not sent worker={}: {}", worker.id(), e.getMessage());
    }
    String ref = worker.runtimeRef();
    if (ref != null) {
      long grace = settings.shutdownGrace().toMillis();
      timer.schedule(() -> runtime.stop(ref, Duration.ofSeconds(5)), grace, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops the process now (SIGTERM, then SIGKILL after a short grace). */
  public void kill(WorkerInstance worker) {
    if (worker.runtimeRef() != null) {
      runtime.stop(worker.runtimeRef(), Duration.ofSeconds(5));
    }
  }

  public boolean isRunning(WorkerInstance worker) {
    return worker.runtimeRef() != null && runtime.isRunning(worker.runtimeRef());
  }

  /** Removes the worker's subscription once it has ended; pending messages in it go too. */
  public void removeSubscription(UUID workerId, String tenant) {
    try {
      bus.deleteSubscription(
          ResourceNames.of(new TenantName(tenant)).jobTopic(),
          Topology.workerSubscription(workerId.toString()));
    } catch (BusException e) {
      LOG.warn("subscription of worker={} not removed: {}", workerId, e.getMessage());
    }
  }

  @PreDestroy
  void stop() {
    timer.shutdownNow();
  }
}
