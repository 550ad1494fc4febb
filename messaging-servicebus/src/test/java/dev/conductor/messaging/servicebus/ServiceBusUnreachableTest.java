package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.messaging.BusHealth;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real adapter against a port nobody listens on: health reports the bus unreachable. */
class ServiceBusUnreachableTest {
  private static final String KEY = "unreachable-test-key-value";

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  @Timeout(30)
  void healthIsDownAndSaysWhereWithoutTheKey() throws IOException {
    String connection =
        "Endpoint=sb://127.0.0.1:"
            + closedPort()
            + ";SharedAccessKeyName=conductor;SharedAccessKey="
            + KEY
            + ";UseDevelopmentEmulator=true";
    try (ServiceBusMessageBus bus =
        ServiceBusMessageBus.connect(ServiceBusSettings.of(connection).withAdministration(false))) {
      BusHealth health = bus.health();

      assertThat(health.up()).isFalse();
      assertThat(health.detail()).contains("unreachable", "127.0.0.1").doesNotContain(KEY);
    }
  }
}
