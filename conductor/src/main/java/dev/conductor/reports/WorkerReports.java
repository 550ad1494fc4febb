package dev.conductor.reports;

import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.RoutingRequests;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.time.Backoff;
import dev.conductor.metrics.JobMetrics;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers report on their tenant's control queue: ready, heartbeat and stopped to the
 * worker's state; started, succeeded and failed to the job. Each job report is a conditional update
 * on the job's current attempt and worker, so duplicated, late or reordered reports (a lost
 * worker's, say) change nothing.
 */
@Singleton
public class WorkerReports {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerReports.class);
  // A retryable failure waits 0.5 s, 1 s, 2 s ... at most 30 s before its next attempt.
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30));

  private final JobRepository jobs;
  private final ReportedJobs reported;
  private final JobMetrics metrics;
  private final WorkerLifecycle workers;
  private final RoutingRequests routing;
  private final TransactionOperations<Connection> tx;
  private final Clock clock;

  WorkerReports(
      JobRepository jobs,
      ReportedJobs reported,
      JobMetrics metrics,
      WorkerLifecycle workers,
      RoutingRequests routing,
      TransactionOperations<Connection> tx,
      Clock clock) {
    this.jobs = jobs;
    this.reported = reported;
    this.metrics = metrics;
    this.workers = workers;
    this.routing = routing;
    this.tx = tx;
    this.clock = clock;
  }

  /** Applies one report of a worker of {@code tenantId}; false if the type is no report. */
  boolean apply(UUID tenantId, Envelope report) {
    UUID workerId = workerId(report);
    switch (report.type()) {
      case READY -> workers.ready(workerId);
      case HEARTBEAT -> workers.heartbeat(workerId);
      case STARTED -> started(report);
      case SUCCEEDED -> succeeded(tenantId, report);
      case FAILED -> failed(tenantId, report);
      case STOPPED -> workers.stopped(workerId);
      default -> {
        return false;
      }
    }
    return true;
  }

  void started(Envelope report) {
    Instant now = clock.instant();
    int attempt = attempt(report);
    reported
        .markRunning(jobId(report), attempt, workerId(report), now)
        .ifPresent(
            job ->
                metrics.started(
                    report.tenant(),
                    job.type(),
                    attempt == 1 ? Duration.between(job.at(), now) : null));
  }

  void succeeded(UUID tenantId, Envelope report) {
    String result = report.result() == null ? "null" : report.result().toString();
    Instant now = clock.instant();
    Optional<ReportedJobs.Changed> started =
        reported.markSucceeded(jobId(report), attempt(report), workerId(report), result, now);
    if (started.isPresent()) {
      metrics.finished(
          report.tenant(),
          started.get().type(),
          "SUCCEEDED",
          Duration.between(started.get().at(), now));
      afterEnd(tenantId, report);
    }
  }

  /** A retryable failure goes back to the queue with backoff until maxAttempts, then FAILED. */
  void failed(UUID tenantId, Envelope report) {
    UUID jobId = jobId(report);
    int attempt = attempt(report);
    String error = report.error() == null ? "failed" : report.error();
    Optional<Ended> ended =
        tx.executeWrite(
            status -> {
              Job job = jobs.findById(jobId).orElse(null);
              if (job == null
                  || job.attempts() != attempt
                  || !workerId(report).equals(job.workerId())) {
                return Optional.<Ended>empty();
              }
              Instant now = clock.instant();
              JobRepository.AttemptEnd end =
                  jobs.requeueOrFail(
                      job,
                      Boolean.TRUE.equals(report.retryable()),
                      error,
                      error,
                      now.plus(RETRY.after(job.attempts())),
                      now);
              return end == JobRepository.AttemptEnd.NONE
                  ? Optional.<Ended>empty()
                  : Optional.of(new Ended(job, end == JobRepository.AttemptEnd.REQUEUED, now));
            });
    if (ended.isPresent()) {
      LOG.info("job failed job={} attempt={} error={}", jobId, attempt, error);
      Ended end = ended.get();
      if (!end.requeued()) {
        Instant started = end.job().startedAt();
        metrics.finished(
            report.tenant(),
            end.job().type(),
            "FAILED",
            started == null ? null : Duration.between(started, end.at()));
      }
      afterEnd(tenantId, report);
    }
  }

  /** A failure applied: the job as it was, and whether it went back to the queue. */
  private record Ended(Job job, boolean requeued, Instant at) {}

  /** The worker may be idle now, and its freed capacity may serve the tenant's queue. */
  private void afterEnd(UUID tenantId, Envelope report) {
    workers.jobEnded(workerId(report));
    routing.request(tenantId);
  }

  // A job report without its job or attempt is malformed, as an id that is no UUID is.
  private static UUID jobId(Envelope report) {
    String jobId = report.jobId();
    if (jobId == null) {
      throw new IllegalArgumentException(report.type() + " report without a jobId");
    }
    return UUID.fromString(jobId);
  }

  private static int attempt(Envelope report) {
    Integer attempt = report.attempt();
    if (attempt == null) {
      throw new IllegalArgumentException(report.type() + " report without an attempt");
    }
    return attempt;
  }

  private static UUID workerId(Envelope report) {
    return UUID.fromString(report.workerId());
  }
}
