package dev.conductor.worker;

import static dev.conductor.worker.WorkerTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.worker.handler.EchoHandler;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobHandlersTest {
  private static final JobContext CONTEXT =
      new JobContext("job-1", 1, "test", "3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10", "acme", null);

  @Test
  void loadsTheBuiltInHandlersFromTheClassPath() {
    assertThat(JobHandlers.load().types()).containsExactly("echo", "fail", "sleep");
  }

  @Test
  void handlerJarsAddTypes(@TempDir Path jar) throws IOException {
    ClassLoader withExtraJar = handlerJar(jar, ReverseHandler.class);

    JobHandlers handlers = JobHandlers.load(withExtraJar);

    assertThat(handlers.types()).containsExactly("echo", "fail", "reverse", "sleep");
  }

  @Test
  void twoHandlersForOneTypeAcrossJarsFailWithBothNamed(@TempDir Path jar) throws IOException {
    ClassLoader withClash = handlerJar(jar, OtherEchoHandler.class);

    assertThatThrownBy(() -> JobHandlers.load(withClash))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageStartingWith(
            "job type 'echo' is provided twice: by " + EchoHandler.class.getName())
        .hasMessageContaining("and by " + OtherEchoHandler.class.getName())
        .hasMessageEndingWith("; remove one of them from the class path");
  }

  @Test
  void addingATypeTwiceFails() {
    assertThatThrownBy(() -> JobHandlers.load().with(new OtherEchoHandler()))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("job type 'echo' is provided twice");
  }

  @Test
  void echoReturnsThePayload() throws Exception {
    JsonNode payload = json("{\"a\": [1, {\"b\": null}]}");

    assertThat(handler("echo").handle(CONTEXT, payload)).isEqualTo(payload);
  }

  @Test
  void sleepSleepsAndSaysHowLong() throws Exception {
    assertThat(handler("sleep").handle(CONTEXT, json("{\"ms\": 5}")).toString())
        .isEqualTo("{\"sleptMs\":5}");
  }

  @Test
  void sleepRejectsABadPayloadWithoutRetry() {
    assertThatThrownBy(() -> handler("sleep").handle(CONTEXT, json("{\"ms\": \"soon\"}")))
        .isInstanceOfSatisfying(
            JobFailure.class, failure -> assertThat(failure.isRetryable()).isFalse())
        .hasMessage("sleep needs a payload {\"ms\": N} with N >= 0");
  }

  @Test
  void failFailsAsAskedWithDefaults() {
    assertThatThrownBy(() -> handler("fail").handle(CONTEXT, json("{}")))
        .isInstanceOfSatisfying(
            JobFailure.class, failure -> assertThat(failure.isRetryable()).isFalse())
        .hasMessage("failed on request");
    assertThatThrownBy(
            () -> handler("fail").handle(CONTEXT, json("{\"message\":\"x\",\"retryable\":true}")))
        .isInstanceOfSatisfying(
            JobFailure.class, failure -> assertThat(failure.isRetryable()).isTrue())
        .hasMessage("x");
  }

  private static JobHandler handler(String type) {
    return JobHandlers.load().find(type).orElseThrow();
  }

  /** A class loader that sees a handler jar (a directory here) listing {@code handler}. */
  private static ClassLoader handlerJar(Path root, Class<? extends JobHandler> handler)
      throws IOException {
    Path services = root.resolve("META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve(JobHandler.class.getName()), handler.getName() + "\n");
    return new URLClassLoader(
        new URL[] {root.toUri().toURL()}, JobHandlersTest.class.getClassLoader());
  }

  public static final class ReverseHandler implements JobHandler {
    @Override
    public String type() {
      return "reverse";
    }

    @Override
    public JsonNode handle(JobContext context, JsonNode payload) {
      return json("\"" + new StringBuilder(payload.asText()).reverse() + "\"");
    }
  }

  public static final class OtherEchoHandler implements JobHandler {
    @Override
    public String type() {
      return "echo";
    }

    @Override
    public JsonNode handle(JobContext context, JsonNode payload) {
      return payload;
    }
  }
}
