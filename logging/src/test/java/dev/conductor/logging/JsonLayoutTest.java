package dev.conductor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code CONDUCTOR_LOG_FORMAT=json}: each event one line holding one valid JSON object. */
class JsonLayoutTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LoggerContext context = new LoggerContext();
  private final Logger logger = context.getLogger("dev.conductor.job.JobService");
  private final JsonLayout layout = new JsonLayout();

  @Test
  void anEventIsOneLineOfJsonWithItsTraceIdsAndItsMessageEscaped() throws Exception {
    String message = "job failed error=\"boom\" at C:\\tmp\nsecond line\ttab \u0001 ü";
    LoggingEvent event = new LoggingEvent("x", logger, Level.WARN, message, null, new Object[0]);
    event.setMDCPropertyMap(
        Map.of("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"));

    String line = layout.doLayout(event);

    assertThat(line).endsWith(System.lineSeparator());
    assertThat(line.strip()).doesNotContain("\n").doesNotContain("\r");
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("message").asText()).isEqualTo(message);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("logger").asText()).isEqualTo("dev.conductor.job.JobService");
    assertThat(json.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(json.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(json.get("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
  }

  @Test
  void aFailureStaysOnTheSameLineAsItsStackTrace() throws Exception {
    LoggingEvent event =
        new LoggingEvent(
            "x",
            logger,
            Level.ERROR,
            "pass failed tenant={}",
            new IllegalStateException("lost \"connection\""),
            new Object[] {"acme"});
    event.setMDCPropertyMap(Map.of());

    String line = layout.doLayout(event);

    assertThat(line.strip()).doesNotContain("\n");
    JsonNode json = JSON.readTree(line);
    assertThat(json.get("message").asText()).isEqualTo("pass failed tenant=acme");
    assertThat(json.get("exception").asText())
        .startsWith("java.lang.IllegalStateException: lost \"connection\"")
        .contains("at dev.conductor.logging.JsonLayoutTest");
    assertThat(json.has("trace_id")).as("no span, no trace id").isFalse();
  }
}
