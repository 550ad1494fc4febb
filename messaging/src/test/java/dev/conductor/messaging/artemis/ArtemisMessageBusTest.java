package dev.conductor.messaging.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusContract;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArtemisMessageBusTest extends MessageBusContract {
  private static final String USER = "conductor";
  private static final String PASSWORD = "test-secret";

  @TempDir static Path data;
  private static EmbeddedArtemis broker;

  @BeforeAll
  static void startBroker() {
    broker =
        EmbeddedArtemis.start(
            new EmbeddedArtemis.Settings(data, "127.0.0.1", 0, false, USER, PASSWORD));
  }

  @AfterAll
  static void stopBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Override
  protected MessageBus connect() {
    return ArtemisMessageBus.connect(broker.url(), USER, PASSWORD);
  }

  @Test
  void unknownUsersAreRejected() {
    assertThatThrownBy(() -> ArtemisMessageBus.connect(broker.url(), USER, "wrong"))
        .isInstanceOf(BusException.class)
        .satisfies(e -> assertThat(((BusException) e).isTransient()).isFalse());
    assertThatThrownBy(() -> ArtemisMessageBus.connect(broker.url(), null, null))
        .isInstanceOf(BusException.class);
  }

  @Test
  void invalidNamesAndFilterPropertiesAreRejectedBeforeReachingTheBroker() {
    assertThatThrownBy(() -> bus.createQueue("a~b", EntityOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.createQueue("jobs.#", EntityOptions.DEFAULTS))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ArtemisNames.filter(CorrelationFilter.of("a = 'x' OR b", "y")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(
            ArtemisNames.filter(new CorrelationFilter(Map.of("workerId", "it's", "type", "job"))))
        .isEqualTo("type = 'job' AND workerId = 'it''s'");
  }
}
