package dev.conductor.messaging.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.conductor.messaging.OutgoingMessage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

/** A job's trace crosses the bus as the {@code traceparent} property and envelope field. */
class TraceparentTest {
  private static final String DISPATCH = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private static final String HANDLER = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";

  @Test
  void aJobMessageCarriesItsTraceparentAsAPropertyAndInItsBody() {
    OutgoingMessage message =
        WireFormat.encode(
            Envelope.job("acme", "w1", "j1", 1, "echo", TextNode.valueOf("x"), 0, DISPATCH));

    assertThat(message.properties()).containsEntry(WireFormat.TRACEPARENT, DISPATCH);
    assertThat(WireFormat.decode(message.body()).traceparent()).isEqualTo(DISPATCH);
  }

  @Test
  void aWorkersReportsCarryItsHandlersTraceparentAndNoPayload() {
    Envelope job =
        Envelope.job("acme", "w1", "j1", 2, "echo", TextNode.valueOf("x"), 0, DISPATCH)
            .withTraceparent(HANDLER);

    for (Envelope report :
        new Envelope[] {job.started("w1"), job.succeeded("w1", TextNode.valueOf("y"))}) {
      OutgoingMessage message = WireFormat.encode(report);
      assertThat(message.properties()).containsEntry(WireFormat.TRACEPARENT, HANDLER);
      Envelope decoded = WireFormat.decode(message.body());
      assertThat(decoded.traceparent()).isEqualTo(HANDLER);
      assertThat(decoded.jobId()).isEqualTo("j1");
      assertThat(decoded.attempt()).isEqualTo(2);
      assertThat(decoded.payload()).isNull();
    }
  }

  @Test
  void withoutATraceThereIsNoProperty() {
    OutgoingMessage message =
        WireFormat.encode(
            Envelope.job("acme", "w1", "j1", 1, "echo", TextNode.valueOf("x"), 0, null));

    assertThat(message.properties()).doesNotContainKey(WireFormat.TRACEPARENT);
  }

  @Test
  void aTraceparentReadsBackAsTheSpanContextItWasWrittenFrom() {
    SpanContext sent =
        SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());

    String traceparent = Traceparent.of(sent);

    assertThat(traceparent).isEqualTo("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    SpanContext read = Traceparent.parse(traceparent);
    assertThat(read.isRemote()).isTrue();
    assertThat(read.getTraceId()).isEqualTo(sent.getTraceId());
    assertThat(read.getSpanId()).isEqualTo(sent.getSpanId());
    assertThat(read.isSampled()).isTrue();
  }

  @Test
  void noSpanMeansNoTraceparentAndAMalformedOneNoParent() {
    assertThat(Traceparent.of(SpanContext.getInvalid())).isNull();
    assertThat(Traceparent.parse(null).isValid()).isFalse();
    assertThat(Traceparent.parse("00-short").isValid()).isFalse();
    assertThat(
            Traceparent.parse("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01").isValid())
        .isFalse();
    assertThat(
            Traceparent.parse("00-00000000000000000000000000000000-00f067aa0ba902b7-01").isValid())
        .as("an all-zero trace id is invalid")
        .isFalse();
  }
}
