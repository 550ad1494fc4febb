package dev.conductor.routing;

import dev.conductor.PeriodicPass;
import dev.conductor.fleet.DatabaseOutages;
import dev.conductor.job.JobRepository;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;

/**
 * Asks for a routing pass for every tenant with dispatchable jobs that no event announced: a
 * retry's backoff ran out, the conductor restarted, a request was dropped while routing stopped.
 */
@Singleton
public class WaitingJobsSweep extends PeriodicPass {
  private final JobRepository jobs;
  private final Dispatcher dispatcher;
  private final DatabaseOutages outages;

  WaitingJobsSweep(JobRepository jobs, Dispatcher dispatcher, DatabaseOutages outages) {
    this.jobs = jobs;
    this.dispatcher = dispatcher;
    this.outages = outages;
  }

  @Scheduled(fixedDelay = "1s", initialDelay = "1s")
  void tick() {
    runOnce();
  }

  @Override
  protected void pass() {
    outages.timed(jobs::findTenantsWithDispatchableJobs).forEach(dispatcher::request);
  }

  @Override
  protected void failed(RuntimeException e) {
    outages.failed(e);
  }
}
