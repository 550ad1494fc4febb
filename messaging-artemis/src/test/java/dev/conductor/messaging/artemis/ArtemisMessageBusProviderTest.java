package dev.conductor.messaging.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusProvider;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** How a worker finds and opens this adapter: by its kind, from what its class path carries. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ArtemisMessageBusProviderTest {
  private static final String USER = "conductor";
  private static final String PASSWORD = "test-secret";

  @TempDir Path data;

  @Test
  void aWorkerFindsOnlyThisAdapter() {
    assertThat(MessageBusProvider.find("artemis"))
        .containsInstanceOf(ArtemisMessageBusProvider.class);
    assertThat(MessageBusProvider.find("servicebus")).isEmpty();
  }

  @Test
  void connectsWithTheGrantedCredentials() {
    try (EmbeddedArtemis broker =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(data, "127.0.0.1", 0, false, USER, PASSWORD))) {
      MessageBusProvider artemis = MessageBusProvider.find("artemis").orElseThrow();

      try (MessageBus bus =
          artemis.connect(new BusAccess(broker.url(), new BusCredentials(USER, PASSWORD), 1))) {
        assertThat(bus.health().up()).isTrue();
      }
      assertThatThrownBy(
              () ->
                  artemis.connect(
                      new BusAccess(broker.url(), new BusCredentials(USER, "wrong"), 1)))
          .isInstanceOf(BusException.class)
          .satisfies(e -> assertThat(((BusException) e).isTransient()).isFalse());
    }
  }
}
