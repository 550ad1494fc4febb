package dev.conductor.routing;

import dev.conductor.PeriodicPass;
import dev.conductor.fleet.DatabaseOutages;
import dev.conductor.fleet.FleetSettings;
import dev.conductor.fleet.WorkerInstance;
import dev.conductor.fleet.WorkerMessages;
import dev.conductor.fleet.WorkerRepository;
import dev.conductor.fleet.WorkerState;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.tenant.TenantRepository;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends again the jobs dispatched to a READY worker that never reported them started (a send that
 * failed, a message lost with a broker). The same message id: if the first send did arrive, the
 * broker drops this one.
 */
@Singleton
public class StalledDispatches extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(StalledDispatches.class);

  private final JobRepository jobs;
  private final WorkerRepository workers;
  private final TenantRepository tenants;
  private final WorkerMessages messages;
  private final FleetSettings settings;
  private final DatabaseOutages outages;
  private final Clock clock;

  StalledDispatches(
      JobRepository jobs,
      WorkerRepository workers,
      TenantRepository tenants,
      WorkerMessages messages,
      FleetSettings settings,
      DatabaseOutages outages,
      Clock clock) {
    this.jobs = jobs;
    this.workers = workers;
    this.tenants = tenants;
    this.messages = messages;
    this.settings = settings;
    this.outages = outages;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelay = "${conductor.workers.reconcile-interval}",
      initialDelay = "${conductor.workers.reconcile-interval}")
  void tick() {
    runOnce();
  }

  @Override
  protected void pass() {
    var before = clock.instant().minus(settings.redispatchAfter());
    for (Job job : outages.timed(() -> jobs.findDispatchedBefore(before))) {
      try {
        resend(job);
      } catch (RuntimeException e) {
        LOG.warn("re-send failed job={}", job.id(), e);
      }
    }
  }

  private void resend(Job job) {
    WorkerInstance worker = workers.findById(job.workerId()).orElse(null);
    if (worker == null || worker.state() != WorkerState.READY) {
      return;
    }
    tenants
        .findById(job.tenantId())
        .ifPresent(
            tenant -> {
              LOG.info("re-sending dispatched job={} attempt={}", job.id(), job.attempts());
              messages.sendJob(job, worker.id(), tenant.name());
            });
  }

  @Override
  protected void failed(RuntimeException e) {
    outages.failed(e);
  }
}
