package dev.conductor.operation;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.ProvisionerGate;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A conductor that stops gracefully (SIGTERM closes the same context) hands its running operations
 * back to the queue, so the next conductor resumes them at once. Before, they stayed RUNNING under
 * the stopped conductor's lease, and nothing resumed them until it ran out: with the ten-minute
 * lease here, long after this test's limit.
 */
class OperationHandBackIT {
  private static final Duration LONG_LEASE = Duration.ofMinutes(10);

  @Test
  void aStoppingConductorHandsItsRunningOperationBackAndTheNextOneResumesIt() throws Exception {
    Path home = Files.createTempDirectory("conductor-hand-back");
    try {
      String operationId;
      try (RunningConductor stopping = RunningConductor.start(properties(home, true))) {
        ProvisionerGate.of(stopping).hold("handed");
        HttpResponse<String> accepted =
            stopping.postJson("/v1/tenants", "{\"name\":\"handed\",\"plan\":\"dev\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        operationId = Json.parse(accepted.body()).path("operationId").asText();
        // The attempt's line and its first step: the provision is now held inside the provisioner.
        await(
            () -> stopping.operation(operationId),
            operation -> messages(operation).size() >= 2,
            Duration.ofSeconds(60));
      }

      try (RunningConductor next = RunningConductor.start(properties(home, false))) {
        JsonNode operation = next.awaitOperationEnded(operationId, Duration.ofMinutes(2));

        assertThat(operation.path("status").asText())
            .as(operation.toString())
            .isEqualTo("SUCCEEDED");
        List<String> messages = messages(operation);
        assertThat(messages)
            .as("the events of " + operationId)
            .anyMatch(message -> message.startsWith("handed back: this conductor is stopping"))
            .anyMatch(message -> message.contains("provision attempt 2"));
        assertThat(next.tenant("handed").path("status").asText()).isEqualTo("READY");
      }
    } finally {
      RunningConductor.deleteRecursively(home);
    }
  }

  private static Map<String, Object> properties(Path home, boolean gated) {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.home", home.toString());
    properties.put("conductor.operations.lease", LONG_LEASE.toSeconds() + "s");
    properties.put(ProvisionerGate.PROPERTY, gated);
    return properties;
  }

  private static List<String> messages(JsonNode operation) {
    List<String> messages = new ArrayList<>();
    operation.path("events").forEach(event -> messages.add(event.path("message").asText()));
    return messages;
  }
}
