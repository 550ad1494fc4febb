package dev.conductor.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.util.RawValue;
import dev.conductor.job.Job;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.metrics.BusMetrics;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.tracing.TraceContext;
import dev.conductor.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the conductor says to workers over the bus: a job down the tenant's topic (filtered to one
 * worker by its GUID), a shutdown, a scheduled teardown, and the removal of an ended worker's
 * subscription.
 */
@Singleton
public class WorkerMessages {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerMessages.class);

  private final MessageBus bus;
  private final FleetSettings settings;
  private final BusMetrics metrics;
  private final Tracing tracing;

  WorkerMessages(MessageBus bus, FleetSettings settings, BusMetrics metrics, Tracing tracing) {
    this.bus = bus;
    this.settings = settings;
    this.metrics = metrics;
    this.tracing = tracing;
  }

  /** Sends the job's current attempt; its message id is deterministic, so a re-send is dropped. */
  public void sendJob(Job job, UUID workerId, String tenant) {
    Span span = dispatchSpan(job, workerId, tenant);
    OutgoingMessage message = jobMessage(job, workerId, tenant, span);
    long began = System.nanoTime();
    try {
      bus.send(jobTopic(tenant), message);
      metrics.sent("job", since(began));
    } catch (RuntimeException e) {
      metrics.sendFailed("job");
      Tracing.failed(span, e);
      throw e;
    } finally {
      span.end();
    }
  }

  /**
   * The dispatch of a job in the trace of the request that submitted it: its context goes to the
   * worker in the message. A job stored without a trace (tracing off) gets the no-op span.
   */
  private Span dispatchSpan(Job job, UUID workerId, String tenant) {
    if (job.traceparent() == null) {
      return Span.getInvalid();
    }
    return tracing
        .startChild("dispatch " + job.type(), SpanKind.PRODUCER, job.traceparent())
        .setAttribute(Tracing.TENANT, tenant)
        .setAttribute(Tracing.JOB_ID, job.id().toString())
        .setAttribute(Tracing.WORKER_ID, workerId.toString())
        .setAttribute("conductor.job.attempt", job.attempts());
  }

  /**
   * As {@link #sendJob}, without waiting: the future completes once the broker has stored the
   * message, or fails (the job then stays DISPATCHED and is sent again once stalled).
   */
  public CompletableFuture<Void> sendJobAsync(Job job, UUID workerId, String tenant) {
    CompletableFuture<Void> sent;
    Span span = dispatchSpan(job, workerId, tenant);
    long began = System.nanoTime();
    try {
      sent = bus.sendAsync(jobTopic(tenant), jobMessage(job, workerId, tenant, span));
    } catch (RuntimeException e) {
      sent = CompletableFuture.failedFuture(e);
    }
    return sent.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            metrics.sendFailed("job");
            Tracing.failed(span, failure);
          } else {
            metrics.sent("job", since(began));
          }
          span.end();
        });
  }

  private static OutgoingMessage jobMessage(Job job, UUID workerId, String tenant, Span dispatch) {
    // The stored payload is JSON text the conductor wrote: copied into the message, never
    // re-parsed.
    JsonNode payload = JsonNodeFactory.instance.rawValueNode(new RawValue(job.payload()));
    return WireFormat.encode(
        Envelope.job(
            tenant,
            workerId.toString(),
            job.id().toString(),
            job.attempts(),
            job.type(),
            payload,
            job.timeoutMs(),
            TraceContext.traceparent(dispatch)));
  }

  /**
   * Schedules teardown(worker, generation) for {@code due}. Never cancelled: when it arrives, the
   * generation check drops it if another was armed since.
   */
  void scheduleTeardown(UUID workerId, String tenant, long generation, Instant due) {
    long began = System.nanoTime();
    try {
      bus.schedule(
          Topology.TEARDOWN_QUEUE,
          WireFormat.encode(Envelope.teardown(tenant, workerId.toString(), generation)),
          due);
      metrics.sent("teardown", since(began));
    } catch (RuntimeException e) {
      metrics.sendFailed("teardown");
      throw e;
    }
  }

  /** Tells the worker to finish its jobs and exit within the shutdown grace. */
  void shutdown(UUID workerId, String tenant) {
    long began = System.nanoTime();
    try {
      bus.send(
          jobTopic(tenant),
          WireFormat.encode(
              Envelope.shutdown(tenant, workerId.toString(), settings.shutdownGrace().toMillis())));
      metrics.sent("shutdown", since(began));
    } catch (BusException e) {
      metrics.sendFailed("shutdown");
      LOG.warn("shutdown message not sent worker={}", workerId, e);
    }
  }

  private static Duration since(long nanoTime) {
    return Duration.ofNanos(System.nanoTime() - nanoTime);
  }

  /** Removes the worker's subscription once it has ended; pending messages in it go too. */
  void removeSubscription(UUID workerId, String tenant) {
    try {
      bus.deleteSubscription(jobTopic(tenant), Topology.workerSubscription(workerId.toString()));
    } catch (BusException e) {
      LOG.warn("subscription of worker={} not removed", workerId, e);
    }
  }

  private static String jobTopic(String tenant) {
    return ResourceNames.of(new TenantName(tenant)).jobTopic();
  }
}
