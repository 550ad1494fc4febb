package dev.conductor.reports;

import dev.conductor.PeriodicPass;
import dev.conductor.fleet.DatabaseOutages;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.Source;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.metrics.BusMetrics;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.tenant.Tenant;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PreDestroy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listens on every serving (READY or UPDATING) tenant's control queue, where its workers report,
 * and hands the reports to {@link WorkerReports} in batches: those the queue holds at once, in
 * order, applied in few transactions and acknowledged after their commit (a crash in between
 * redelivers them, and applying a report again changes nothing). The set of tenants is re-read
 * every second, so onboarding and offboarding need no wiring here.
 */
@Context
public class ReportListeners extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(ReportListeners.class);
  // One batch at a time per tenant: a worker's reports (started, then succeeded) apply in order.
  private static final int REPORT_BATCH = 256;

  private final MessageBus bus;
  private final TenantRepository tenants;
  private final WorkerReports reports;
  private final WorkerRepository workers;
  private final DatabaseOutages outages;
  private final BusMetrics metrics;
  private final Clock clock;
  private volatile boolean stopping;
  private final Map<UUID, Receiver> controlReceivers = new ConcurrentHashMap<>();
  // Tenants whose queue could not be listened to, warned about once until it works again.
  private final Set<UUID> unreachable = new HashSet<>();

  ReportListeners(
      MessageBus bus,
      TenantRepository tenants,
      WorkerReports reports,
      WorkerRepository workers,
      DatabaseOutages outages,
      BusMetrics metrics,
      Clock clock) {
    this.bus = bus;
    this.tenants = tenants;
    this.reports = reports;
    this.workers = workers;
    this.outages = outages;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Scheduled(fixedDelay = "1s")
  void tick() {
    runOnce();
  }

  /** Starts receivers for tenants that started serving, closes those of tenants that stopped. */
  @Override
  protected void pass() {
    List<Tenant> ready = tenants.findAllLive().stream().filter(t -> t.status().serving()).toList();
    Set<UUID> wanted = new HashSet<>();
    for (Tenant tenant : ready) {
      wanted.add(tenant.id());
      if (controlReceivers.containsKey(tenant.id())) {
        continue;
      }
      try {
        controlReceivers.put(tenant.id(), listen(tenant));
        unreachable.remove(tenant.id());
      } catch (RuntimeException e) {
        // One tenant's missing queue must not cost the tenants after it theirs; retried next pass.
        if (unreachable.add(tenant.id())) {
          LOG.warn(
              "cannot listen for worker reports of tenant={}; retrying every pass"
                  + " (`conductor tenants refresh {}` shows what is missing)",
              tenant.name(),
              tenant.name(),
              e);
        }
      }
    }
    unreachable.retainAll(wanted);
    for (UUID id : Set.copyOf(controlReceivers.keySet())) {
      if (!wanted.contains(id)) {
        forget(id);
      }
    }
  }

  /** Stops listening to a tenant at once, before offboarding deletes its control queue. */
  public void forget(UUID tenantId) {
    Receiver receiver = controlReceivers.remove(tenantId);
    if (receiver != null) {
      receiver.close();
    }
  }

  private Receiver listen(Tenant tenant) {
    String queue = ResourceNames.of(new TenantName(tenant.name())).controlQueue();
    LOG.info("listening for worker reports tenant={} queue={}", tenant.name(), queue);
    return bus.receiveBatches(Source.queue(queue), REPORT_BATCH, batch -> onReports(tenant, batch));
  }

  private void onReports(Tenant tenant, List<ReceivedMessage> batch) {
    List<ReceivedMessage> messages = new ArrayList<>(batch.size());
    List<Envelope> taken = new ArrayList<>(batch.size());
    for (ReceivedMessage message : batch) {
      Envelope report = accepted(tenant, message);
      if (report != null) {
        messages.add(message);
        taken.add(report);
      }
    }
    dropOtherTenantsWorkers(tenant, messages, taken);
    if (taken.isEmpty()) {
      return;
    }
    try {
      outages.recordThrough(() -> reports.applyAll(tenant.id(), taken), () -> stopping);
    } catch (RuntimeException e) {
      if (stopping || taken.size() == 1) {
        throw e;
      }
      // Some report the batch could not take: one by one, so that only that one goes back.
      LOG.warn("a batch of {} reports failed; applying them one by one", taken.size(), e);
      for (int i = 0; i < taken.size(); i++) {
        Envelope report = taken.get(i);
        try {
          outages.recordThrough(
              () -> reports.applyAll(tenant.id(), List.of(report)), () -> stopping);
        } catch (RuntimeException failure) {
          if (stopping) {
            throw failure;
          }
          LOG.warn(
              "report not applied, handed back type={} worker={} job={}",
              report.type(),
              report.workerId(),
              report.jobId(),
              failure);
          messages.get(i).abandon();
        }
      }
    }
  }

  /**
   * Dead-letters the reports whose worker is not one of the tenant's: a worker reaches only its own
   * tenant's queue, but it could name another tenant's worker (and so that worker's jobs) there.
   */
  private void dropOtherTenantsWorkers(
      Tenant tenant, List<ReceivedMessage> messages, List<Envelope> taken) {
    if (taken.isEmpty()) {
      return;
    }
    Set<UUID> named = new HashSet<>();
    taken.forEach(report -> named.add(UUID.fromString(report.workerId())));
    Set<UUID> own = new HashSet<>();
    outages.recordThrough(
        () -> {
          own.clear();
          own.addAll(workers.findIdsOfTenant(tenant.id(), named));
        },
        () -> stopping);
    for (int i = taken.size() - 1; i >= 0; i--) {
      String worker = taken.get(i).workerId();
      if (!own.contains(UUID.fromString(worker))) {
        messages
            .remove(i)
            .deadLetter("report of worker " + worker + ", none of " + tenant.name() + "'s");
        taken.remove(i);
      }
    }
  }

  /** The report a message carries, or null once it is dead-lettered as none of this tenant's. */
  private @Nullable Envelope accepted(Tenant tenant, ReceivedMessage message) {
    Envelope report;
    try {
      report = WireFormat.decode(message);
    } catch (IllegalArgumentException e) {
      message.deadLetter(String.valueOf(e.getMessage()));
      return null;
    }
    metrics.received(report.type().name(), Duration.between(report.sentAt(), clock.instant()));
    if (!tenant.name().equals(report.tenant()) || report.workerId() == null) {
      // A worker can only send to its own tenant's queue; anything else is not ours to act on.
      message.deadLetter(
          "report for tenant " + report.tenant() + " on " + tenant.name() + "'s queue");
      return null;
    }
    if (!isUuid(report.workerId())) {
      message.deadLetter("report with a worker id that is no UUID");
      return null;
    }
    if (!WorkerReports.isReport(report.type())) {
      message.deadLetter("unexpected " + report.type() + " on a control queue");
      return null;
    }
    return report;
  }

  /** Stops listening (the conductor is stopping); unsettled reports go back to their queues. */
  @PreDestroy
  @Override
  public synchronized void stop() {
    if (stopping) {
      return;
    }
    stopping = true;
    super.stop();
    controlReceivers.values().forEach(Receiver::close);
  }

  private static boolean isUuid(String text) {
    try {
      UUID.fromString(text);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
