package dev.conductor.worker;

import dev.conductor.messaging.protocol.Envelope;
import dev.conductor.messaging.protocol.Traceparent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.MDC;

/**
 * The worker's spans: a handler span per job message, a child of the conductor's dispatch span
 * named by the message's {@code traceparent}, exported over OTLP/HTTP when {@code
 * CONDUCTOR_TRACING_OTLP_ENDPOINT} is set; otherwise, or for a message without a trace, nothing.
 */
final class WorkerTracing implements AutoCloseable {
  static final String OTLP_ENDPOINT = "CONDUCTOR_TRACING_OTLP_ENDPOINT";
  static final WorkerTracing OFF = new WorkerTracing(null);
  private final @Nullable SdkTracerProvider provider;
  private final Tracer tracer;

  private WorkerTracing(@Nullable SdkTracerProvider provider) {
    this.provider = provider;
    this.tracer =
        provider == null
            ? OpenTelemetry.noop().getTracer("conductor-worker")
            : provider.get("conductor-worker");
  }

  static WorkerTracing fromEnvironment(Map<String, String> environment) {
    String endpoint = environment.get(OTLP_ENDPOINT);
    if (endpoint == null || endpoint.isBlank()) {
      return OFF;
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    String url = base.endsWith("/v1/traces") ? base : base + "/v1/traces";
    return new WorkerTracing(
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(
                                AttributeKey.stringKey("service.name"), "conductor-worker"))))
            .addSpanProcessor(
                BatchSpanProcessor.builder(OtlpHttpSpanExporter.builder().setEndpoint(url).build())
                    // A worker may be torn down soon after its last job: send spans promptly.
                    .setScheduleDelay(Duration.ofSeconds(1))
                    .build())
            .build());
  }

  /** The handler span of a job message; the no-op span if tracing is off or it has no trace. */
  Span handlerSpan(Envelope job, String workerId) {
    String traceparent = job.traceparent();
    if (provider == null || traceparent == null) {
      return Span.getInvalid();
    }
    SpanContext parent = Traceparent.parse(traceparent);
    if (!parent.isValid()) {
      return Span.getInvalid();
    }
    return tracer
        .spanBuilder("job " + job.jobType())
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(Context.root().with(Span.wrap(parent)))
        .setAttribute("conductor.job.id", String.valueOf(job.jobId()))
        .setAttribute("conductor.worker.id", workerId)
        .setAttribute("conductor.job.attempt", job.attempt() == null ? 1 : job.attempt())
        .startSpan();
  }

  static void failed(Span span, String error) {
    span.setStatus(StatusCode.ERROR, error);
  }

  /** The span's {@code traceparent}, or null for the no-op span. */
  static @Nullable String traceparent(Span span) {
    return Traceparent.of(span.getSpanContext());
  }

  /** Makes the span current, its ids in the log lines (MDC) of this thread; closing restores. */
  static Scope activate(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid()) {
      return Scope.noop();
    }
    Scope current = span.makeCurrent();
    String traceBefore = MDC.get("trace_id");
    String spanBefore = MDC.get("span_id");
    MDC.put("trace_id", context.getTraceId());
    MDC.put("span_id", context.getSpanId());
    return () -> {
      restore("trace_id", traceBefore);
      restore("span_id", spanBefore);
      current.close();
    };
  }

  private static void restore(String key, @Nullable String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }

  /** Sends the spans not sent yet (bounded), then stops exporting. */
  @Override
  public void close() {
    if (provider != null) {
      provider.shutdown().join(5, TimeUnit.SECONDS);
    }
  }
}
