package dev.conductor.reports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.MessageBus;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * One tenant whose control queue cannot be listened to (deleted outside the conductor, say) must
 * not cost the others theirs. Before, the listening pass stopped at the first tenant that failed,
 * in name order, so after a restart no tenant named after it had its workers' reports read: their
 * jobs never finished.
 */
class ReportListenersIT {

  @Test
  void aTenantWithoutItsControlQueueDoesNotStopTheOthersReportsBeingRead() throws Exception {
    Path home = Files.createTempDirectory("conductor-report-listeners");
    try {
      String key;
      try (RunningConductor first = RunningConductor.start(properties(home))) {
        first.onboard("aaa-broken", "dev");
        key = first.onboard("zzz-fine", "dev");
        first
            .server()
            .context()
            .getBean(ReportListeners.class)
            .forget(first.tenantId("aaa-broken"));
        first
            .server()
            .context()
            .getBean(MessageBus.class)
            .deleteQueue(ResourceNames.of(new TenantName("aaa-broken")).controlQueue());
      }

      try (RunningConductor restarted = RunningConductor.start(properties(home))) {
        String id = restarted.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");

        JsonNode job = restarted.awaitJobEnded(key, id, Duration.ofSeconds(90));
        assertThat(job.path("status").asText()).as(job.toString()).isEqualTo("SUCCEEDED");
      }
    } finally {
      RunningConductor.deleteRecursively(home);
    }
  }

  private static Map<String, Object> properties(Path home) {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.home", home.toString());
    return properties;
  }
}
