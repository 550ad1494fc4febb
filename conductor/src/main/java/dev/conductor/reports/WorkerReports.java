package dev.conductor.reports;

import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.job.Job;
import dev.conductor.job.JobRepository;
import dev.conductor.job.RoutingRequests;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.MessageType;
import dev.conductor.messaging.time.Backoff;
import dev.conductor.metrics.JobMetrics;
import dev.conductor.tracing.Tracing;
import io.micronaut.transaction.TransactionOperations;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies what workers report on their tenant's control queue: ready, heartbeat and stopped to the
 * worker's state; started, succeeded and failed to the job. Each job report is a conditional update
 * on the job's current attempt and worker, so duplicated, late or reordered reports (a lost
 * worker's, say) change nothing. Reports received together are applied in few transactions ({@link
 * #applyAll}).
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
  private final Tracing tracing;

  WorkerReports(
      JobRepository jobs,
      ReportedJobs reported,
      JobMetrics metrics,
      WorkerLifecycle workers,
      RoutingRequests routing,
      TransactionOperations<Connection> tx,
      Clock clock,
      Tracing tracing) {
    this.jobs = jobs;
    this.reported = reported;
    this.metrics = metrics;
    this.workers = workers;
    this.routing = routing;
    this.tx = tx;
    this.clock = clock;
    this.tracing = tracing;
  }

  /** Whether a message of this type is a worker's report (and so for {@link #apply}). */
  static boolean isReport(MessageType type) {
    return switch (type) {
      case READY, HEARTBEAT, STARTED, SUCCEEDED, FAILED, STOPPED -> true;
      default -> false;
    };
  }

  /** Applies one report of a worker of {@code tenantId}; false if the type is no report. */
  boolean apply(UUID tenantId, Envelope report) {
    if (!isReport(report.type())) {
      return false;
    }
    applyAll(tenantId, List.of(report));
    return true;
  }

  /**
   * Applies reports of workers of {@code tenantId} in the order given: each run of job reports and
   * heartbeats in one transaction, a worker's ready or stopped on its own between runs (their
   * effects follow their own commit). Each report is still its own conditional update, so the
   * result is that of applying them one by one, and applying any of them again changes nothing.
   */
  void applyAll(UUID tenantId, List<Envelope> reports) {
    List<Envelope> run = new ArrayList<>();
    for (Envelope report : reports) {
      switch (report.type()) {
        case READY -> {
          applyRun(tenantId, run);
          workers.ready(workerId(report));
        }
        case STOPPED -> {
          applyRun(tenantId, run);
          workers.stopped(workerId(report));
        }
        case HEARTBEAT, STARTED, SUCCEEDED, FAILED -> run.add(report);
        default -> throw new IllegalArgumentException(report.type() + " is no worker report");
      }
    }
    applyRun(tenantId, run);
  }

  /** Job reports and heartbeats in one transaction; metrics and idle workers after its commit. */
  private void applyRun(UUID tenantId, List<Envelope> run) {
    if (run.isEmpty()) {
      return;
    }
    List<Runnable> afterCommit = new ArrayList<>();
    List<Span> spans = reportSpans(run);
    Set<UUID> ended;
    try {
      ended = applyInTransaction(run, afterCommit);
    } catch (RuntimeException e) {
      spans.forEach(span -> Tracing.failed(span, e));
      throw e;
    } finally {
      spans.forEach(Span::end);
    }
    afterCommit.forEach(Runnable::run);
    if (!ended.isEmpty()) {
      // The workers may be idle now, and their freed capacity may serve the tenant's queue.
      ended.forEach(workers::jobEnded);
      routing.request(tenantId);
    }
  }

  /** The run's job reports by job id; one job's stay in the order they came (a stable sort). */
  private static List<Envelope> inJobOrder(List<Envelope> run) {
    return run.stream()
        .filter(report -> report.type() != MessageType.HEARTBEAT)
        .sorted(Comparator.comparing(report -> jobId(report).toString()))
        .toList();
  }

  /**
   * A span per job outcome reported with a trace (the worker's handler span its parent), ended once
   * the run that applies it has committed.
   */
  private List<Span> reportSpans(List<Envelope> run) {
    List<Span> spans = List.of();
    for (Envelope report : run) {
      if (report.traceparent() != null
          && (report.type() == MessageType.SUCCEEDED || report.type() == MessageType.FAILED)) {
        if (spans.isEmpty()) {
          spans = new ArrayList<>();
        }
        spans.add(
            tracing
                .startChild("report " + report.type(), SpanKind.CONSUMER, report.traceparent())
                .setAttribute(Tracing.JOB_ID, String.valueOf(report.jobId()))
                .setAttribute(Tracing.WORKER_ID, String.valueOf(report.workerId())));
      }
    }
    return spans;
  }

  private Set<UUID> applyInTransaction(List<Envelope> run, List<Runnable> afterCommit) {
    return tx.executeWrite(
        status -> {
          afterCommit.clear();
          Set<UUID> endedOn = new LinkedHashSet<>();
          // Rows are locked in one order, workers then jobs, each by id, as a worker's loss
          // locks it and then its jobs: no two transactions wait on each other in a cycle.
          // One heartbeat update per worker however many it sent.
          run.stream()
              .filter(report -> report.type() == MessageType.HEARTBEAT)
              .map(report -> workerId(report).toString())
              .distinct()
              .sorted()
              .forEach(id -> workers.heartbeat(UUID.fromString(id)));
          for (Envelope report : inJobOrder(run)) {
            switch (report.type()) {
              case STARTED -> started(report, afterCommit);
              case SUCCEEDED -> {
                if (succeeded(report, afterCommit)) {
                  endedOn.add(workerId(report));
                }
              }
              case FAILED -> {
                if (failed(report, afterCommit)) {
                  endedOn.add(workerId(report));
                }
              }
              default -> throw new IllegalStateException(report.type() + " in a run");
            }
          }
          return endedOn;
        });
  }

  private void started(Envelope report, List<Runnable> afterCommit) {
    Instant now = clock.instant();
    int attempt = attempt(report);
    reported
        .markRunning(jobId(report), attempt, workerId(report), now)
        .ifPresent(
            job ->
                afterCommit.add(
                    () ->
                        metrics.started(
                            report.tenant(),
                            job.type(),
                            attempt == 1 ? Duration.between(job.at(), now) : null)));
  }

  /** Whether it ended the job's current attempt. */
  private boolean succeeded(Envelope report, List<Runnable> afterCommit) {
    String result = report.result() == null ? "null" : report.result().toString();
    Instant now = clock.instant();
    Optional<ReportedJobs.Changed> started =
        reported.markSucceeded(jobId(report), attempt(report), workerId(report), result, now);
    started.ifPresent(
        job ->
            afterCommit.add(
                () ->
                    metrics.finished(
                        report.tenant(),
                        job.type(),
                        "SUCCEEDED",
                        Duration.between(job.at(), now))));
    return started.isPresent();
  }

  /**
   * A retryable failure goes back to the queue with backoff until maxAttempts, then FAILED; whether
   * it ended the job's current attempt.
   */
  private boolean failed(Envelope report, List<Runnable> afterCommit) {
    UUID jobId = jobId(report);
    int attempt = attempt(report);
    String error = report.error() == null ? "failed" : report.error();
    Job job = jobs.findById(jobId).orElse(null);
    if (job == null || job.attempts() != attempt || !workerId(report).equals(job.workerId())) {
      return false;
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
    if (end == JobRepository.AttemptEnd.NONE) {
      return false;
    }
    afterCommit.add(
        () -> {
          LOG.info("job failed job={} attempt={} error={}", jobId, attempt, error);
          if (end == JobRepository.AttemptEnd.FAILED) {
            Instant started = job.startedAt();
            metrics.finished(
                report.tenant(),
                job.type(),
                "FAILED",
                started == null ? null : Duration.between(started, now));
          }
        });
    return true;
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
