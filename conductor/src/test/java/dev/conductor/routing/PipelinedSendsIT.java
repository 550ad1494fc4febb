package dev.conductor.routing;

import static dev.conductor.testing.RunningConductor.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.protocol.Topology;
import dev.conductor.messaging.protocol.WireFormat;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.TenantName;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Job messages sent without waiting for each: a pass's sends all arrive, and a send that fails
 * (here: the tenant's job topic is gone) leaves its job DISPATCHED until it is sent again with the
 * same message id, so the job runs once, on its worker, in its first attempt.
 */
class PipelinedSendsIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);

  @Test
  void aPassesSendsArriveAndAFailedSendIsSentAgain() {
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.plans.dev.idle-timeout", "5m");
    properties.put("conductor.workers.redispatch-after", "2s");
    try (RunningConductor conductor = RunningConductor.start(properties)) {
      String key = conductor.onboard("pipelined", "dev");
      List<String> burst = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        burst.add(conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":" + i + "}}"));
      }
      Set<String> workers = new HashSet<>();
      for (String id : burst) {
        JsonNode job = conductor.awaitJobEnded(key, id, LIMIT);
        assertThat(job.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(job.get("attempts").asInt()).isEqualTo(1);
        workers.add(job.get("workerId").asText());
      }

      MessageBus bus = conductor.server().context().getBean(MessageBus.class);
      String topic = ResourceNames.of(new TenantName("pipelined")).jobTopic();
      bus.deleteTopic(topic);
      String unsent = conductor.submitJob(key, "{\"type\":\"echo\",\"payload\":{\"n\":-1}}");
      await(
          () -> conductor.job(key, unsent),
          job -> "DISPATCHED".equals(job.path("status").asText()),
          LIMIT);
      bus.createTopic(topic, EntityOptions.DEFAULTS);
      for (String worker : workers) {
        bus.createSubscription(
            topic,
            Topology.workerSubscription(worker),
            CorrelationFilter.of(WireFormat.WORKER_ID, worker));
      }

      JsonNode ended = conductor.awaitJobEnded(key, unsent, LIMIT);
      assertThat(ended.get("status").asText()).isEqualTo("SUCCEEDED");
      assertThat(ended.get("attempts").asInt()).isEqualTo(1);
      assertThat(ended.get("workerId").asText()).isIn(workers);
      conductor.offboard("pipelined");
    }
  }
}
