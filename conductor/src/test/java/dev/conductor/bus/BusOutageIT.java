package dev.conductor.bus;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.artemis.EmbeddedArtemis;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conductor on an external broker that goes away and comes back: jobs submitted meanwhile are
 * accepted, none is lost or failed, health says the bus is down, and everything runs once it is
 * back. A real Artemis with a persistent journal, stopped and restarted on the same port and data.
 */
class BusOutageIT {
  private static final String BUS_USER = "conductor";
  private static final String BUS_PASSWORD = "bus-secret-for-outage-test";
  private static final Duration LIMIT = Duration.ofSeconds(120);

  @TempDir Path brokerData;

  @Test
  void jobsAcceptedWhileTheBusIsDownRunOnceItIsBack() throws Exception {
    int port = freePort();
    EmbeddedArtemis broker = startBroker(port);
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.bus.artemis.url", "tcp://127.0.0.1:" + port);
    properties.put("conductor.bus.artemis.user", BUS_USER);
    properties.put("conductor.bus.artemis.password", BUS_PASSWORD);
    try (RunningConductor conductor = RunningConductor.start(properties)) {
      String key = conductor.onboard("outage", "dev");
      String before = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":0}}");
      assertThat(conductor.awaitJobEnded(key, before, LIMIT).get("status").asText())
          .isEqualTo("SUCCEEDED");

      broker.close();
      await(
          () -> conductor.get("/health"),
          health -> health.statusCode() == 503 && health.body().contains("DOWN"),
          LIMIT);
      List<String> during = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        during.add(conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}"));
      }
      for (String id : during) {
        assertThat(conductor.job(key, id).get("status").asText())
            .isIn("QUEUED", "DISPATCHED", "RUNNING");
      }

      broker = startBroker(port);
      for (String id : during) {
        JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
        assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      }
      await(() -> conductor.get("/health"), health -> health.statusCode() == 200, LIMIT);
    } finally {
      broker.close();
    }
  }

  private EmbeddedArtemis startBroker(int port) {
    return EmbeddedArtemis.start(
        new EmbeddedArtemis.Settings(brokerData, "127.0.0.1", port, true, BUS_USER, BUS_PASSWORD));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
