package dev.conductor.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import jakarta.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The conductor's tracer: spans exported over OTLP/HTTP in batches when {@code
 * conductor.tracing.otlp-endpoint} is set, else the no-op tracer, whose spans carry no context, so
 * that no {@code traceparent} is stored or sent and the hot path does no tracing work at all.
 */
@Singleton
public class Tracing {
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("conductor.tenant");
  public static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("conductor.job.id");
  public static final AttributeKey<String> WORKER_ID =
      AttributeKey.stringKey("conductor.worker.id");

  private final @Nullable SdkTracerProvider provider;
  private final Tracer tracer;
  private final TracingSettings settings;

  public Tracing(TracingSettings settings) {
    this.settings = settings;
    String endpoint = settings.otlpEndpoint();
    if (endpoint == null || endpoint.isBlank()) {
      provider = null;
      tracer = OpenTelemetry.noop().getTracer("conductor");
      return;
    }
    provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "conductor"))))
            .addSpanProcessor(
                BatchSpanProcessor.builder(
                        OtlpHttpSpanExporter.builder().setEndpoint(tracesUrl(endpoint)).build())
                    .build())
            .build();
    tracer = provider.get("conductor");
  }

  /** {@code <endpoint>/v1/traces}, the OTLP/HTTP path of spans. */
  public static String tracesUrl(String endpoint) {
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    return base.endsWith("/v1/traces") ? base : base + "/v1/traces";
  }

  public boolean enabled() {
    return provider != null;
  }

  /** The endpoint workers export to, when tracing is on. */
  public @Nullable String otlpEndpoint() {
    return enabled() ? settings.otlpEndpoint() : null;
  }

  /** Starts a span under the current one (a new trace if there is none). */
  public Span start(String name, SpanKind kind) {
    return tracer.spanBuilder(name).setSpanKind(kind).startSpan();
  }

  /** Starts a span whose parent is the remote span a {@code traceparent} names. */
  public Span startChild(String name, SpanKind kind, @Nullable String traceparent) {
    if (provider == null) {
      // Off: not even a caller's trace is passed on (the no-op tracer would propagate it).
      return Span.getInvalid();
    }
    return tracer
        .spanBuilder(name)
        .setSpanKind(kind)
        .setParent(traceparent == null ? Context.current() : TraceContext.parent(traceparent))
        .startSpan();
  }

  /**
   * The server span of a request: a child of the caller's span when the request carries a {@code
   * traceparent} header, else the root of a new trace.
   */
  public Span server(String name, @Nullable String traceparent) {
    if (provider == null) {
      return Span.getInvalid();
    }
    return tracer
        .spanBuilder(name)
        .setSpanKind(SpanKind.SERVER)
        .setParent(TraceContext.parent(traceparent))
        .startSpan();
  }

  /** Starts the root span of a new trace, whatever is current. */
  public Span root(String name) {
    return tracer.spanBuilder(name).setNoParent().startSpan();
  }

  /**
   * Records a child of {@code parent} that ended now after {@code took} (a provisioning step, seen
   * when it ended); nothing when the parent is not recording.
   */
  public void ended(Span parent, String name, Duration took, boolean failed) {
    if (!parent.getSpanContext().isValid()) {
      return;
    }
    Instant end = Instant.now();
    Span span =
        tracer
            .spanBuilder(name)
            .setParent(Context.root().with(parent))
            .setStartTimestamp(end.minus(took))
            .startSpan();
    if (failed) {
      span.setStatus(StatusCode.ERROR);
    }
    span.end(end);
  }

  /** Marks the span failed with the failure's class (its message may hold what logs must not). */
  public static void failed(Span span, Throwable failure) {
    span.setStatus(StatusCode.ERROR, failure.getClass().getSimpleName());
  }

  @PreDestroy
  void close() {
    if (provider != null) {
      provider.shutdown().join(10, TimeUnit.SECONDS);
    }
  }
}
