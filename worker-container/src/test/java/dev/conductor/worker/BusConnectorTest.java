package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.MessageBus;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BusConnectorTest {

  @Test
  void aServiceBusWorkerUsesTheShardCountItIsGiven() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    env.put(WorkerSettings.BUS_URL, "acme.servicebus.windows.net");
    env.put(WorkerSettings.BUS_USER, "tenant.acme.worker");
    env.put(WorkerSettings.TOPIC_SHARDS, "4");

    // What the adapter connects with; ServiceBusMessageBusProviderTest takes it from there.
    BusAccess access = WorkerSettings.fromEnvironment(env).busAccess();

    assertThat(access.topicShards()).isEqualTo(4);
    assertThat(access.url()).isEqualTo("acme.servicebus.windows.net");
    assertThat(access.credentials().user()).isEqualTo("tenant.acme.worker");
  }

  @Test
  void oneShardUnlessTold() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    env.put(WorkerSettings.BUS_URL, "acme.servicebus.windows.net");

    assertThat(WorkerSettings.fromEnvironment(env).busAccess().topicShards()).isEqualTo(1);
  }

  @Test
  void theAdapterOfTheKindIsFoundOnTheClassPath() {
    assertThat(BusConnector.forKind("artemis")).isNotNull();
  }

  @Test
  void aBusThisWorkerDoesNotCarryIsNamedWithTheJarThatDoes() {
    // This module's class path carries only the artemis adapter, as conductor-worker.jar does.
    assertThatThrownBy(() -> BusConnector.forKind("servicebus"))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "CONDUCTOR_BUS_KIND is 'servicebus' but conductor-messaging-servicebus is not on this"
                + " worker's class path: run conductor-worker-servicebus.jar");
  }

  @Test
  void aBrokerThatIsRestartingIsWaitedFor() {
    AtomicInteger attempts = new AtomicInteger();
    // Only its identity matters: the connector must hand back what the adapter opened.
    MessageBus bus =
        (MessageBus)
            java.lang.reflect.Proxy.newProxyInstance(
                MessageBus.class.getClassLoader(),
                new Class<?>[] {MessageBus.class},
                (proxy, method, args) -> null);
    BusConnector flaky =
        settings -> {
          if (attempts.incrementAndGet() < 3) {
            throw new BusException("connection refused", true, null);
          }
          return bus;
        };

    MessageBus connected = BusConnector.retrying(flaky, Duration.ofMinutes(1)).connect(settings());

    assertThat(connected).isSameAs(bus);
    assertThat(attempts).hasValue(3);
  }

  @Test
  void refusedCredentialsFailAtOnce() {
    AtomicInteger attempts = new AtomicInteger();
    BusConnector refusing =
        settings -> {
          attempts.incrementAndGet();
          throw new BusException("not authorized", false, null);
        };

    assertThatThrownBy(
            () -> BusConnector.retrying(refusing, Duration.ofMinutes(1)).connect(settings()))
        .hasMessage("not authorized");
    assertThat(attempts).hasValue(1);
  }

  @Test
  void anUnreachableBrokerIsGivenUpOnWhenPatienceRunsOut() {
    AtomicInteger attempts = new AtomicInteger();
    BusConnector unreachable =
        settings -> {
          attempts.incrementAndGet();
          throw new BusException("connection refused", true, null);
        };

    assertThatThrownBy(
            () -> BusConnector.retrying(unreachable, Duration.ofMillis(500)).connect(settings()))
        .isInstanceOf(BusException.class);
    // Backoff 100 + 200 ms fits in 500 ms, the next 400 does not: never more than three tries.
    assertThat(attempts.get()).isLessThanOrEqualTo(3);
  }

  private static WorkerSettings settings() {
    return WorkerSettings.fromEnvironment(WorkerSettingsTest.minimal());
  }
}
