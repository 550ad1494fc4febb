package dev.conductor.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkerBusEndpointTest {

  @Test
  void serviceBusWorkersAreToldTheConfiguredShardCount() {
    ServiceBusSettingsProperties properties =
        new ServiceBusSettingsProperties(
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=Root;"
                + "SharedAccessKey=secret",
            4,
            Duration.ofDays(1),
            Duration.ofHours(1),
            Duration.ofSeconds(30),
            false);

    WorkerBusEndpoint endpoint = new MessageBusFactory().serviceBusEndpoint(properties);

    assertThat(endpoint.environment())
        .containsEntry("CONDUCTOR_BUS_KIND", "servicebus")
        .containsEntry("CONDUCTOR_BUS_URL", "acme.servicebus.windows.net")
        .containsEntry("CONDUCTOR_BUS_TOPIC_SHARDS", "4");
  }

  @Test
  void artemisWorkersHaveOneShard() {
    WorkerBusEndpoint endpoint =
        new MessageBusFactory()
            .artemisEndpoint(new ArtemisBusSettings("tcp://127.0.0.1:61616", "u", "p"));

    assertThat(endpoint.environment()).containsEntry("CONDUCTOR_BUS_TOPIC_SHARDS", "1");
  }
}
