package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.protocol.Topology;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ServiceBusNamesTest {
  private static final String VALID = "[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?";

  @Test
  void validNamesMapToThemselves() {
    assertThat(ServiceBusNames.entity("tenant.acme.jobs")).isEqualTo("tenant.acme.jobs");
    assertThat(ServiceBusNames.entity("conductor.teardown")).isEqualTo("conductor.teardown");
    String worker = Topology.workerSubscription(UUID.randomUUID().toString());
    assertThat(ServiceBusNames.subscription(worker)).isEqualTo(worker).hasSize(43);
    assertThat(ServiceBusNames.rule("tenant.acme.worker")).isEqualTo("tenant.acme.worker");
  }

  @Test
  void tooLongNamesAreShortenedWithAHashWithinTheLimits() {
    String longSubscription = "worker-" + "x".repeat(60);
    String mapped = ServiceBusNames.subscription(longSubscription);
    assertThat(mapped).hasSizeLessThanOrEqualTo(50).matches(VALID).startsWith("worker-xxx");
    assertThat(ServiceBusNames.subscription(longSubscription)).isEqualTo(mapped);
    assertThat(ServiceBusNames.subscription(longSubscription + "y")).isNotEqualTo(mapped);

    String longTopic = "tenant." + "a".repeat(300) + ".jobs";
    assertThat(ServiceBusNames.entity(longTopic))
        .hasSizeLessThanOrEqualTo(260 - ServiceBusNames.SHARD_ROOM)
        .matches(VALID);
    assertThat(ServiceBusNames.rule("p".repeat(300))).hasSizeLessThanOrEqualTo(256).matches(VALID);
  }

  @Test
  void invalidCharactersAndEndsAreReplacedAndHashed() {
    String mapped = ServiceBusNames.entity("jobs/for acme$");
    assertThat(mapped)
        .matches(VALID)
        .startsWith("jobs-for-acme-")
        .hasSize("jobs-for-acme".length() + 9);
    assertThat(ServiceBusNames.entity("jobs for acme"))
        .isNotEqualTo(ServiceBusNames.entity("jobs-for-acme"));
    assertThat(ServiceBusNames.subscription("-edge-")).matches(VALID);
    assertThat(ServiceBusNames.subscription("$$$")).matches(VALID).startsWith("x-");
  }

  @Test
  void blankNamesAndShardSuffixesAreRefused() {
    assertThatThrownBy(() -> ServiceBusNames.entity(" "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("required");
    assertThatThrownBy(() -> ServiceBusNames.subscription(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ServiceBusNames.entity("tenant.acme.jobs__2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shard");
  }
}
