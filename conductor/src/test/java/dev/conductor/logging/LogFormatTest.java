package dev.conductor.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.Resources;

/** The server's logback.xml: CONDUCTOR_LOG_FORMAT picks text or JSON lines, both with trace ids. */
@ResourceLock(Resources.SYSTEM_OUT)
class LogFormatTest {

  @Test
  void jsonGivesOneObjectPerLineWithTheTraceIds() throws Exception {
    String[] lines = log("json");

    assertThat(lines).hasSize(2);
    JsonNode traced = new ObjectMapper().readTree(lines[0]);
    assertThat(traced.get("message").asText()).isEqualTo("job dispatched job=j1");
    assertThat(traced.get("trace_id").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(traced.get("span_id").asText()).isEqualTo("00f067aa0ba902b7");
    assertThat(new ObjectMapper().readTree(lines[1]).has("trace_id")).isFalse();
  }

  @Test
  void textAppendsTheTraceIdsOnlyInsideASpan() throws Exception {
    String[] lines = log("text");

    assertThat(lines).hasSize(2);
    assertThat(lines[0])
        .endsWith(
            "job dispatched job=j1 trace_id=4bf92f3577b34da6a3ce929d0e0e4736"
                + " span_id=00f067aa0ba902b7");
    assertThat(lines[1]).endsWith("- no span here");
  }

  /** Two lines through the server's logback.xml: one inside a span, one outside. */
  private static String[] log(String format) throws Exception {
    LoggerContext context = new LoggerContext();
    LogbackMDCAdapter mdc = new LogbackMDCAdapter();
    context.setMDCAdapter(mdc);
    context.putProperty("CONDUCTOR_LOG_FORMAT", format);
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    URL config = LogFormatTest.class.getClassLoader().getResource("logback.xml");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    try {
      configurator.doConfigure(config);
      mdc.put("trace_id", "4bf92f3577b34da6a3ce929d0e0e4736");
      mdc.put("span_id", "00f067aa0ba902b7");
      context.getLogger("dev.conductor.routing.Dispatcher").info("job dispatched job={}", "j1");
      mdc.clear();
      context.getLogger("dev.conductor.routing.Dispatcher").info("no span here");
    } finally {
      context.stop();
      System.setOut(original);
    }
    return out.toString(StandardCharsets.UTF_8).lines().toArray(String[]::new);
  }
}
