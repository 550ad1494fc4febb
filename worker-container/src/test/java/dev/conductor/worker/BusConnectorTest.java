package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.messaging.servicebus.ServiceBusSettings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BusConnectorTest {

  @Test
  void aServiceBusWorkerUsesTheShardCountItIsGiven() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    env.put(WorkerSettings.BUS_URL, "acme.servicebus.windows.net");
    env.put(WorkerSettings.BUS_USER, "tenant.acme.worker");
    env.put(WorkerSettings.TOPIC_SHARDS, "4");

    ServiceBusSettings settings =
        BusConnector.serviceBusSettings(WorkerSettings.fromEnvironment(env));

    assertThat(settings.topicShards()).isEqualTo(4);
    assertThat(settings.namespaceHost()).isEqualTo("acme.servicebus.windows.net");
  }

  @Test
  void oneShardUnlessTold() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    env.put(WorkerSettings.BUS_URL, "acme.servicebus.windows.net");

    assertThat(BusConnector.serviceBusSettings(WorkerSettings.fromEnvironment(env)).topicShards())
        .isEqualTo(1);
  }
}
