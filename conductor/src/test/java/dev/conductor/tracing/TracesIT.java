package dev.conductor.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.conductor.testing.RunningConductor;
import dev.conductor.tracing.OtlpReceiver.ReceivedSpan;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Traces as an OTLP collector receives them. A job's: the conductor and its worker process export
 * to an OTLP/HTTP receiver in this test (the worker is another JVM, so its spans can only arrive by
 * real export), and the spans form one tree: POST /v1/jobs → dispatch → the worker's handler →
 * report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TracesIT {
  private static final int SERVER = 2;
  private static final int PRODUCER = 4;
  private static final int CONSUMER = 5;

  private OtlpReceiver receiver;
  private RunningConductor conductor;
  private String apiKey;

  @BeforeAll
  void start() throws Exception {
    receiver = new OtlpReceiver();
    conductor =
        RunningConductor.start(Map.of("conductor.tracing.otlp-endpoint", receiver.endpoint()));
    apiKey = conductor.onboard("traced", "dev");
  }

  @AfterAll
  void stop() {
    if (conductor != null) {
      conductor.close();
    }
    if (receiver != null) {
      receiver.close();
    }
  }

  @Test
  void aJobIsOneTraceFromItsSubmissionThroughTheWorkerToItsReport() {
    String id = conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    assertThat(conductor.awaitJobEnded(apiKey, id, Duration.ofSeconds(120)).get("status").asText())
        .isEqualTo("SUCCEEDED");

    ReceivedSpan report =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> named("report SUCCEEDED"), Optional::isPresent)
            .orElseThrow();
    List<ReceivedSpan> trace =
        receiver.spans().stream().filter(s -> s.traceId().equals(report.traceId())).toList();

    ReceivedSpan handler = parentOf(report, trace);
    assertThat(handler.name()).isEqualTo("job echo");
    assertThat(handler.service()).isEqualTo("conductor-worker");
    assertThat(handler.kind()).isEqualTo(CONSUMER);
    ReceivedSpan dispatch = parentOf(handler, trace);
    assertThat(dispatch.name()).isEqualTo("dispatch echo");
    assertThat(dispatch.service()).isEqualTo("conductor");
    assertThat(dispatch.kind()).isEqualTo(PRODUCER);
    ReceivedSpan post = parentOf(dispatch, trace);
    assertThat(post.name()).isEqualTo("POST /v1/jobs");
    assertThat(post.kind()).isEqualTo(SERVER);
    assertThat(post.parentSpanId()).as("the submission is the trace's root").isEmpty();
    assertThat(report.service()).isEqualTo("conductor");
  }

  @Test
  void anOperationIsOneTraceWithASpanPerProvisioningStep() {
    ReceivedSpan operation =
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> named("operation PROVISION"), Optional::isPresent)
            .orElseThrow();
    assertThat(operation.parentSpanId()).isEmpty();
    await()
        .atMost(Duration.ofSeconds(60))
        .untilAsserted(
            () ->
                assertThat(
                        receiver.spans().stream()
                            .filter(s -> s.parentSpanId().equals(operation.spanId()))
                            .filter(s -> s.traceId().equals(operation.traceId()))
                            .map(ReceivedSpan::name))
                    .contains("create database", "create queue", "create app", "create container"));
  }

  private Optional<ReceivedSpan> named(String name) {
    return receiver.spans().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private static ReceivedSpan parentOf(ReceivedSpan child, List<ReceivedSpan> trace) {
    return trace.stream()
        .filter(s -> s.spanId().equals(child.parentSpanId()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no parent of " + child + " in " + trace));
  }
}
