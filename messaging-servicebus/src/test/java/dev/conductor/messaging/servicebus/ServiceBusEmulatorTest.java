package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.messaging.DockerImages;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusContract;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.testcontainers.azure.ServiceBusEmulatorContainer;
import org.testcontainers.containers.MSSQLServerContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The contract against the Service Bus emulator with its SQL Server, through Testcontainers;
 * skipped at once (and reported so) where there is no Docker or its images are not in the local
 * daemon, never left pulling them from a registry it may not reach. The emulator has no
 * administration API in the versions Testcontainers 1.20 knows, ignores the cancel of scheduled
 * messages, has no SAS rules of its own and stops at 256 KB: the adapter declares those
 * capabilities missing and the contract skips their tests. Entities come from {@link
 * EmulatorConfig}.
 */
@DockerImages.Needed({ServiceBusEmulatorTest.SQL_IMAGE, ServiceBusEmulatorTest.EMULATOR_IMAGE})
@Testcontainers(disabledWithoutDocker = true)
class ServiceBusEmulatorTest extends MessageBusContract {
  static final String SQL_IMAGE = "mcr.microsoft.com/mssql/server:2022-CU14-ubuntu-22.04";
  static final String EMULATOR_IMAGE =
      "mcr.microsoft.com/azure-messaging/servicebus-emulator:1.1.2";
  private static final int QUEUES = 16;
  private static final int TOPICS = 6;
  private static final Network NETWORK = Network.newNetwork();
  private static final AtomicInteger nextQueue = new AtomicInteger();
  private static final AtomicInteger nextTopic = new AtomicInteger();

  @Container
  static final MSSQLServerContainer<?> SQL =
      new MSSQLServerContainer<>(SQL_IMAGE).acceptLicense().withNetwork(NETWORK);

  @Container
  static final ServiceBusEmulatorContainer EMULATOR =
      new ServiceBusEmulatorContainer(EMULATOR_IMAGE)
          .acceptLicense()
          .withConfig(Transferable.of(EmulatorConfig.json(QUEUES, TOPICS)))
          .withNetwork(NETWORK)
          .withMsSqlServerContainer(SQL);

  @Override
  protected MessageBus connect() {
    return ServiceBusMessageBus.connect(
        ServiceBusSettings.of(EMULATOR.getConnectionString()).withAdministration(false));
  }

  /** The emulator, a container beside its SQL Server, answers slower than an embedded broker. */
  @Override
  protected Duration patience() {
    return Duration.ofSeconds(30);
  }

  @Test
  void theEmulatorRunsWithTheEntitiesOfItsConfigAndWithoutWhatItLacks() {
    try (MessageBus bus = connect()) {
      assertThat(bus.queueExists(EmulatorConfig.queue(QUEUES))).isTrue();
      assertThat(bus.topicExists(EmulatorConfig.topic(TOPICS))).isTrue();
      assertThat(bus.capabilities().cancelScheduled()).isFalse();
      assertThat(bus.capabilities().administration()).isFalse();
    }
  }

  /** Queues and topics come fresh from the declared pool; any other name is one nobody declared. */
  @Override
  protected String unique(String prefix) {
    if (prefix.equals("q")) {
      return take(nextQueue, QUEUES, "queues", EmulatorConfig::queue);
    }
    if (prefix.equals("t")) {
      return take(nextTopic, TOPICS, "topics", EmulatorConfig::topic);
    }
    return super.unique(prefix);
  }

  private static String take(
      AtomicInteger next, int size, String kind, java.util.function.IntFunction<String> name) {
    int index = next.incrementAndGet();
    if (index > size) {
      throw new IllegalStateException(
          "the emulator's Config.json declares only " + size + " " + kind + "; declare more");
    }
    return name.apply(index);
  }
}
