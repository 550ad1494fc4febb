package dev.conductor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.protocol.Envelope;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Nullable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one job message: reports {@code started}, runs the handler on a job thread within the job's
 * timeout, reports the outcome, and only then completes the message. If a report cannot be sent the
 * message is abandoned, so the broker redelivers it and nothing is lost.
 */
final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private final WorkerSettings settings;
  private final JobHandlers handlers;
  private final ControlQueue control;
  private final ExecutorService jobThreads;
  private final WorkerTracing tracing;
  private final Map<JobContext, Future<?>> running = new ConcurrentHashMap<>();
  // Outcomes already reported, by job message id: a redelivery (the ack was lost) is answered
  // again instead of running the handler twice. Bounded: only recent redeliveries matter.
  private final Map<String, Envelope> reported =
      java.util.Collections.synchronizedMap(
          new java.util.LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Envelope> eldest) {
              return size() > 10_000;
            }
          });

  JobRunner(
      WorkerSettings settings,
      JobHandlers handlers,
      ControlQueue control,
      ExecutorService jobThreads,
      WorkerTracing tracing) {
    this.settings = settings;
    this.handlers = handlers;
    this.control = control;
    this.jobThreads = jobThreads;
    this.tracing = tracing;
  }

  /** {@code jobId}: the job message's id, which the listener has checked is present. */
  void run(ReceivedMessage message, Envelope job, String jobId) {
    Span span = tracing.handlerSpan(job, settings.workerId());
    try (Scope scope = WorkerTracing.activate(span)) {
      // The reports carry the handler's span, so that applying them joins the job's trace.
      String traceparent = WorkerTracing.traceparent(span);
      run(message, traceparent == null ? job : job.withTraceparent(traceparent), jobId, span);
    } finally {
      span.end();
    }
  }

  private void run(ReceivedMessage message, Envelope job, String jobId, Span span) {
    String messageId = job.jobId() + ":" + job.attempt();
    Envelope already = reported.get(messageId);
    if (already != null) {
      LOG.info(
          "job already reported, repeating the report jobId={} attempt={}",
          job.jobId(),
          job.attempt());
      control.send(already);
      message.complete();
      return;
    }
    long startedAt = System.nanoTime();
    String workerId = settings.workerId();
    LOG.info(
        "job started jobId={} attempt={} jobType={} deliveryCount={}",
        job.jobId(),
        job.attempt(),
        job.jobType(),
        message.deliveryCount());
    JobOutcome outcome;
    try {
      // The job runs while its start report is on its way; both reports are confirmed, in order,
      // before the job message is acknowledged.
      CompletableFuture<Void> started = control.sendAsync(job.started(workerId));
      outcome = execute(job, jobId, span);
      if (outcome instanceof JobOutcome.Failed failed) {
        WorkerTracing.failed(span, failed.error());
      }
      Envelope report = outcome.report(job, workerId);
      CompletableFuture<Void> ended = control.sendAsync(report);
      confirmed(started);
      confirmed(ended);
      reported.put(messageId, report);
    } catch (RuntimeException e) {
      LOG.warn(
          "job report not sent, leaving the job for redelivery jobId={} attempt={}",
          job.jobId(),
          job.attempt(),
          e);
      try {
        message.abandon();
      } catch (RuntimeException notAbandoned) {
        // The broker hands an unsettled message back on its own when the session goes.
        e.addSuppressed(notAbandoned);
      }
      throw e;
    }
    message.complete();
    LOG.info(
        "job finished jobId={} attempt={} outcome={} durationMs={}{}",
        job.jobId(),
        job.attempt(),
        outcome.describe(),
        (System.nanoTime() - startedAt) / 1_000_000,
        outcome instanceof JobOutcome.Failed failed ? " error=\"" + failed.error() + "\"" : "");
  }

  /** Waits for a report to be confirmed (the bus bounds the wait); its failure as it was thrown. */
  private static void confirmed(CompletableFuture<Void> sent) {
    try {
      sent.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw e;
    }
  }

  /** Interrupts every running job, e.g. when the shutdown grace period has passed. */
  void interruptAll(String reason) {
    running.forEach(
        (context, future) -> {
          context.interrupt(reason);
          future.cancel(true);
        });
  }

  private JobOutcome execute(Envelope job, String jobId, Span span) {
    String jobType = job.jobType();
    Optional<JobHandler> handler = handlers.find(jobType);
    if (jobType == null || handler.isEmpty()) {
      return JobOutcome.failed("unknown job type '" + jobType + "'", false);
    }
    Integer attempt = job.attempt();
    JobContext context =
        new JobContext(
            jobId,
            attempt == null ? 1 : attempt,
            jobType,
            settings.workerId(),
            settings.tenant(),
            settings.affinityKey());
    JsonNode given = job.payload();
    JsonNode payload = given == null ? NullNode.getInstance() : given;
    Future<JsonNode> future =
        jobThreads.submit(
            () -> {
              Thread thread = Thread.currentThread();
              String poolName = thread.getName();
              // Thread dumps then show which job a stuck handler belongs to.
              thread.setName("job-" + jobId);
              try (Scope scope = WorkerTracing.activate(span)) {
                return handler.get().handle(context, payload);
              } finally {
                thread.setName(poolName);
              }
            });
    running.put(context, future);
    try {
      return await(future, context, job.timeoutMs());
    } finally {
      running.remove(context);
    }
  }

  private static JobOutcome await(
      Future<JsonNode> future, JobContext context, @Nullable Long timeoutMs) {
    try {
      JsonNode result =
          timeoutMs == null || timeoutMs <= 0
              ? future.get()
              : future.get(timeoutMs, TimeUnit.MILLISECONDS);
      return JobOutcome.succeeded(result);
    } catch (TimeoutException e) {
      String reason = "timed out after " + timeoutMs + " ms";
      context.interrupt(reason);
      future.cancel(true);
      return JobOutcome.failed(reason, false);
    } catch (CancellationException e) {
      return JobOutcome.failed(context.interruption().orElse("interrupted"), true);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      return failure(cause == null ? e : cause, context);
    } catch (InterruptedException e) {
      context.interrupt("the worker was interrupted");
      future.cancel(true);
      Thread.currentThread().interrupt();
      return JobOutcome.failed("the worker was interrupted", true);
    }
  }

  private static JobOutcome failure(Throwable cause, JobContext context) {
    if (cause instanceof JobFailure failure) {
      return JobOutcome.failed(describe(failure), failure.isRetryable());
    }
    if (cause instanceof InterruptedException && context.interruption().isPresent()) {
      return JobOutcome.failed(context.interruption().get(), true);
    }
    return JobOutcome.failed(describe(cause), true);
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getName() : message;
  }
}
