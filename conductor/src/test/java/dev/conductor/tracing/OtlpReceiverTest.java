package dev.conductor.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import org.junit.jupiter.api.Test;

/** The test's OTLP receiver reads what the conductor's real exporter sends. */
class OtlpReceiverTest {

  @Test
  void receivesTheSpansOfTheConductorsExporter() throws Exception {
    try (OtlpReceiver receiver = new OtlpReceiver()) {
      Tracing tracing = new Tracing(new TracingSettings(receiver.endpoint()));
      Span parent = tracing.server("POST /v1/jobs", null);
      Span child =
          tracing.startChild("dispatch echo", SpanKind.PRODUCER, TraceContext.traceparent(parent));
      child.end();
      parent.end();
      tracing.close();

      assertThat(receiver.spans())
          .extracting(OtlpReceiver.ReceivedSpan::name)
          .containsExactlyInAnyOrder("POST /v1/jobs", "dispatch echo");
      OtlpReceiver.ReceivedSpan received =
          receiver.spans().stream().filter(s -> s.name().equals("dispatch echo")).findFirst().get();
      assertThat(received.parentSpanId()).isEqualTo(parent.getSpanContext().getSpanId());
      assertThat(received.traceId()).isEqualTo(parent.getSpanContext().getTraceId());
      assertThat(received.service()).isEqualTo("conductor");
      assertThat(received.kind()).isEqualTo(4);
    }
  }
}
