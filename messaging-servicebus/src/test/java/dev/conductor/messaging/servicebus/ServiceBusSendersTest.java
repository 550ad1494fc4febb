package dev.conductor.messaging.servicebus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.azure.messaging.servicebus.ServiceBusSenderClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The real adapter's sender cache; building a sender does no I/O, so no namespace is needed. */
class ServiceBusSendersTest {

  @Test
  @Timeout(30)
  void aFailedSendLeavesTheSharedSenderToTheOtherThreads() throws IOException {
    try (ServiceBusMessageBus bus = ServiceBusMessageBus.connect(unreachable())) {
      AtomicReference<ServiceBusSenderClient> first = new AtomicReference<>();

      assertThatThrownBy(
              () ->
                  bus.withSender(
                      "tenant.acme.jobs",
                      sender -> {
                        first.set(sender);
                        throw new IllegalStateException("send failed");
                      }))
          .hasMessage("send failed");

      AtomicReference<ServiceBusSenderClient> next = new AtomicReference<>();
      bus.withSender("tenant.acme.jobs", next::set);
      assertThat(next.get()).isNotNull().isSameAs(first.get());
    }
  }

  private static ServiceBusSettings unreachable() throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    return ServiceBusSettings.of(
        "Endpoint=sb://127.0.0.1:"
            + port
            + ";SharedAccessKeyName=conductor;SharedAccessKey=senders-test-key;"
            + "UseDevelopmentEmulator=true");
  }
}
