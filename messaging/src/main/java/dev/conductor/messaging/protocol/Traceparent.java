package dev.conductor.messaging.protocol;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import jakarta.annotation.Nullable;

/**
 * The W3C {@code traceparent} a message carries ({@code 00-<trace id>-<span id>-<flags>}), written
 * by whoever sends under a span and read by whoever continues the trace: the conductor and its
 * workers alike.
 */
public final class Traceparent {
  private static final int LENGTH = 55;

  private Traceparent() {}

  /** The span's {@code traceparent}, or null when it is not recording (tracing off). */
  public static @Nullable String of(SpanContext context) {
    if (!context.isValid()) {
      return null;
    }
    return "00-"
        + context.getTraceId()
        + "-"
        + context.getSpanId()
        + "-"
        + context.getTraceFlags().asHex();
  }

  /** The remote parent it names; the invalid context when it is absent or malformed. */
  public static SpanContext parse(@Nullable String traceparent) {
    if (traceparent == null || traceparent.length() != LENGTH || !traceparent.startsWith("00-")) {
      return SpanContext.getInvalid();
    }
    return SpanContext.createFromRemoteParent(
        traceparent.substring(3, 35),
        traceparent.substring(36, 52),
        TraceFlags.fromHex(traceparent, 53),
        TraceState.getDefault());
  }
}
