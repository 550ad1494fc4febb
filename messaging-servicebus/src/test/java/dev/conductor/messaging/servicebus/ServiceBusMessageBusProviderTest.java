package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.MessageBusProvider;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a worker finds and opens this adapter: by its kind, from what its class path carries. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ServiceBusMessageBusProviderTest {

  @Test
  void aWorkerFindsOnlyThisAdapter() {
    assertThat(MessageBusProvider.find("servicebus"))
        .containsInstanceOf(ServiceBusMessageBusProvider.class);
    assertThat(MessageBusProvider.find("artemis")).isEmpty();
  }

  @Test
  void aWorkerConnectsToItsNamespaceWithItsRuleOnTheConductorsShards() {
    BusAccess access =
        new BusAccess(
            "acme.servicebus.windows.net", new BusCredentials("tenant.acme.worker", "key"), 4);

    ServiceBusSettings settings = ServiceBusMessageBusProvider.settings(access);

    assertThat(settings.namespaceHost()).isEqualTo("acme.servicebus.windows.net");
    assertThat(settings.connectionString())
        .isEqualTo(
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=tenant.acme.worker;"
                + "SharedAccessKey=key");
    assertThat(settings.topicShards()).isEqualTo(4);
  }
}
