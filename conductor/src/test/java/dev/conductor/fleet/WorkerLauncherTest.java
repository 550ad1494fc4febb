package dev.conductor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.bus.WorkerBusEndpoint;
import dev.conductor.messaging.servicebus.ServiceBusMessageBusProvider;
import dev.conductor.provisioning.Resource;
import dev.conductor.worker.WorkerSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class WorkerLauncherTest {
  private static final FleetSettings FLEET =
      new FleetSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30));

  @Test
  void aServiceBusWorkerIsToldTheConductorsShardCount() {
    Map<String, String> environment =
        WorkerLauncher.environment(
            worker(),
            "acme",
            new WorkerBusEndpoint("servicebus", "acme.servicebus.windows.net", 4),
            credentials(),
            FLEET);

    assertThat(environment).containsEntry("CONDUCTOR_BUS_TOPIC_SHARDS", "4");
    // What the worker derives from it: the shard its subscription was created on.
    WorkerSettings read = WorkerSettings.fromEnvironment(environment);
    assertThat(ServiceBusMessageBusProvider.settings(read.busAccess()).topicShards()).isEqualTo(4);
  }

  @Test
  void everythingTheWorkerNeedsIsThere() {
    WorkerInstance worker = worker();
    Map<String, String> environment =
        WorkerLauncher.environment(
            worker,
            "acme",
            new WorkerBusEndpoint("artemis", "tcp://127.0.0.1:61616", 1),
            credentials(),
            FLEET);

    WorkerSettings read = WorkerSettings.fromEnvironment(environment);

    assertThat(read.workerId()).isEqualTo(worker.id().toString());
    assertThat(read.tenant()).isEqualTo("acme");
    assertThat(read.capacity()).isEqualTo(3);
    assertThat(read.busKind()).isEqualTo("artemis");
    assertThat(read.busAccess().url()).isEqualTo("tcp://127.0.0.1:61616");
    assertThat(read.busAccess().credentials().user()).isEqualTo("tenant.acme.worker");
    assertThat(read.busAccess().credentials().password()).isEqualTo("worker-key");
    assertThat(read.busAccess().topicShards()).isEqualTo(1);
    assertThat(read.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(read.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  private static WorkerInstance worker() {
    return WorkerInstance.starting(
        UUID.randomUUID(), "", "", 3, Instant.parse("2024-01-01T00:00:00Z"), UUID.randomUUID());
  }

  private static Resource credentials() {
    return new Resource(
        Map.of("workerUser", "tenant.acme.worker"), Map.of("workerPassword", "worker-key"));
  }
}
