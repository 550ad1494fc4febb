package dev.conductor.tracing;

import dev.conductor.messaging.protocol.Traceparent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.annotation.Nullable;
import org.slf4j.MDC;

/**
 * W3C {@code traceparent} values, the form in which a trace crosses a job row and a bus message,
 * and the current span as the log lines' {@code trace_id}/{@code span_id} (MDC).
 */
public final class TraceContext {
  public static final String TRACE_ID = "trace_id";
  public static final String SPAN_ID = "span_id";

  private TraceContext() {}

  /** The current span's {@code traceparent}, or null when no span is recording (tracing off). */
  public static @Nullable String current() {
    return traceparent(Span.current());
  }

  public static @Nullable String traceparent(Span span) {
    return Traceparent.of(span.getSpanContext());
  }

  /** The remote parent a {@code traceparent} names; the root context if it is absent or invalid. */
  public static Context parent(@Nullable String traceparent) {
    SpanContext remote = Traceparent.parse(traceparent);
    return remote.isValid() ? Context.root().with(Span.wrap(remote)) : Context.root();
  }

  /** Makes the span current and puts its ids in the MDC; closing restores both. */
  public static Scope activate(Span span) {
    SpanContext context = span.getSpanContext();
    if (!context.isValid()) {
      return Scope.noop();
    }
    Scope current = span.makeCurrent();
    String traceBefore = MDC.get(TRACE_ID);
    String spanBefore = MDC.get(SPAN_ID);
    MDC.put(TRACE_ID, context.getTraceId());
    MDC.put(SPAN_ID, context.getSpanId());
    return () -> {
      restore(TRACE_ID, traceBefore);
      restore(SPAN_ID, spanBefore);
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
}
