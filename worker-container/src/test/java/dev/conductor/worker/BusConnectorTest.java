package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.servicebus.ServiceBusSettings;
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
