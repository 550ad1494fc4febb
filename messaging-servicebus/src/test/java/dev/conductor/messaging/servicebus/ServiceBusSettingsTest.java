package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServiceBusSettingsTest {
  private static final String CONNECTION =
      "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=conductor;"
          + "SharedAccessKey=top-secret-key";

  @Test
  void readsTheNamespaceAndKeyNameAndHidesTheKey() {
    ServiceBusSettings settings = ServiceBusSettings.of(CONNECTION);

    assertThat(settings.namespaceHost()).isEqualTo("acme.servicebus.windows.net");
    assertThat(settings.keyName()).isEqualTo("conductor");
    assertThat(settings.amqpPort()).isEqualTo(5671);
    assertThat(settings.emulator()).isFalse();
    assertThat(settings.toString())
        .contains("acme.servicebus.windows.net")
        .doesNotContain("top-secret");
  }

  @Test
  void theEmulatorUsesItsPlainAmqpPort() {
    ServiceBusSettings settings =
        ServiceBusSettings.of(
            "Endpoint=sb://localhost;SharedAccessKeyName=RootManageSharedAccessKey;"
                + "SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true;");
    assertThat(settings.emulator()).isTrue();
    assertThat(settings.amqpPort()).isEqualTo(5672);
  }

  @Test
  void workersConnectWithTheirRuleToTheNamespaceHost() {
    assertThat(
            ServiceBusSettings.workerConnectionString(
                "sb://acme.servicebus.windows.net/", "w", "k"))
        .isEqualTo(
            "Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=w;SharedAccessKey=k");
    assertThat(
            ServiceBusSettings.of(
                    ServiceBusSettings.workerConnectionString(
                        "acme.servicebus.windows.net", "w", "k"))
                .namespaceHost())
        .isEqualTo("acme.servicebus.windows.net");
  }

  @Test
  void badConnectionStringsAreRefusedWithoutEchoingThem() {
    assertThatThrownBy(() -> ServiceBusSettings.of(""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("required");
    assertThatThrownBy(
            () -> ServiceBusSettings.of("Endpoint=sb://acme/;SharedAccessKey=top-secret-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SharedAccessKeyName")
        .hasMessageNotContaining("top-secret");
    assertThatThrownBy(
            () ->
                ServiceBusSettings.of(
                    "Endpoint=https://acme/;SharedAccessKeyName=a;SharedAccessKey=top-secret-key"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sb://")
        .hasMessageNotContaining("top-secret");
  }

  @Test
  void durationsAndShardsAreChecked() {
    ServiceBusSettings settings = ServiceBusSettings.of(CONNECTION);
    assertThatThrownBy(() -> settings.withTopicShards(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new ServiceBusSettings(
                    CONNECTION,
                    1,
                    java.time.Duration.ofMinutes(1),
                    settings.maxLockRenewal(),
                    settings.lockDuration(),
                    false,
                    true))
        .hasMessageContaining("autoDeleteOnIdle");
  }
}
