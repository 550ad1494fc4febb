package dev.conductor.messaging.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.BusHealth;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.Inbox;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.ScheduledMessage;
import dev.conductor.messaging.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Broker-level guarantees: persistence across restarts, reconnection, security. */
class EmbeddedArtemisTest {
  private static final String USER = "conductor";
  private static final String PASSWORD = "restart-secret";

  @TempDir Path data;

  private EmbeddedArtemis start(int port) {
    return EmbeddedArtemis.start(
        new EmbeddedArtemis.Settings(data, "127.0.0.1", port, true, USER, PASSWORD));
  }

  private static OutgoingMessage message(String id) {
    return message(id, Map.of());
  }

  private static OutgoingMessage message(String id, Map<String, String> properties) {
    return new OutgoingMessage(id, properties, id.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void topologyMessagesAndSettingsSurviveARestart() {
    EmbeddedArtemis broker = start(0);
    int port = broker.port();
    ScheduledMessage later;
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createQueue("jobs", new EntityOptions(1));
      bus.createTopic("events", EntityOptions.DEFAULTS);
      bus.createSubscription("events", "worker-a", CorrelationFilter.of("workerId", "A"));
      bus.send("jobs", message("pending"));
      bus.send("jobs", message("poison"));
      // Due during or soon after the restart: delivered once the broker is back.
      bus.schedule("jobs", message("soon"), Instant.now().plusSeconds(2));
      // Due long after the restart, however slow that is: still waiting then.
      later = bus.schedule("jobs", message("later"), Instant.now().plus(Duration.ofMinutes(10)));
    } finally {
      broker.close();
    }

    broker = start(port);
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      assertThat(bus.queueExists("jobs")).isTrue();
      assertThat(bus.subscriptionExists("events", "worker-a")).isTrue();
      Inbox inbox =
          Inbox.then(
              m -> {
                if (m.messageId().equals("poison")) {
                  m.abandon();
                }
              });
      Inbox deadLetters = Inbox.recording();
      try (Receiver jobs = bus.receive(Source.queue("jobs"), ReceiveOptions.ONE_AT_A_TIME, inbox);
          Receiver dead =
              bus.receive(
                  Source.deadLetters(Source.queue("jobs")),
                  ReceiveOptions.ONE_AT_A_TIME,
                  deadLetters)) {
        // A due scheduled message goes to the head of the queue: "soon" may come first.
        List<String> delivered =
            List.of(inbox.next().messageId(), inbox.next().messageId(), inbox.next().messageId());
        assertThat(delivered).containsExactlyInAnyOrder("pending", "poison", "soon");
        // maxDeliveryCount 1 was kept: the first abandon dead-letters it.
        assertThat(deadLetters.next().messageId()).isEqualTo("poison");
        // Neither lost nor delivered early: only a message still scheduled can be cancelled.
        assertThat(bus.cancelScheduled(later)).as("still scheduled after the restart").isTrue();
      }
    } finally {
      broker.close();
    }
  }

  @Test
  void receiverAndSenderReconnectAfterABrokerRestart() throws Exception {
    EmbeddedArtemis broker = start(0);
    int port = broker.port();
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createQueue("jobs", EntityOptions.DEFAULTS);
      CountDownLatch completed = new CountDownLatch(1);
      Inbox inbox =
          Inbox.then(
              m -> {
                m.complete();
                completed.countDown();
              });
      bus.receive(Source.queue("jobs"), ReceiveOptions.ONE_AT_A_TIME, inbox);
      bus.send("jobs", message("before"));
      assertThat(inbox.next().messageId()).isEqualTo("before");
      // Settled before the stop, or a rolled-back completion would redeliver "before" (correctly).
      assertThat(completed.await(10, TimeUnit.SECONDS)).isTrue();

      broker.close();
      awaitHealth(bus, false);
      broker = start(port);

      sendUntilAccepted(bus, message("after"));
      // The receiver's own reconnect may back off (up to ArtemisReceiver.MAX_BACKOFF) after the
      // client's: more than Inbox.PATIENCE on a slow machine.
      assertThat(inbox.next(Duration.ofSeconds(30)).messageId()).isEqualTo("after");
      awaitHealth(bus, true);
    } finally {
      broker.close();
    }
  }

  @Test
  void grantedWorkersAndTheirRightsSurviveARestart() {
    EmbeddedArtemis broker = start(0);
    int port = broker.port();
    BusCredentials worker;
    BusCredentials revoked;
    try (MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createTopic("tenant.acme.jobs", EntityOptions.DEFAULTS);
      bus.createSubscription("tenant.acme.jobs", "w1", CorrelationFilter.of("workerId", "w1"));
      bus.createQueue("tenant.acme.control", EntityOptions.DEFAULTS);
      worker =
          bus.grantWorkerAccess("tenant.acme.worker", "tenant.acme.jobs", "tenant.acme.control");
      revoked =
          bus.grantWorkerAccess("tenant.gone.worker", "tenant.acme.jobs", "tenant.acme.control");
      bus.revokeWorkerAccess(revoked.user());
    } finally {
      broker.close();
    }

    try (EmbeddedArtemis restarted = start(port);
        MessageBus bus = ArtemisMessageBus.connect(restarted.url(), USER, PASSWORD);
        MessageBus workerBus =
            ArtemisMessageBus.connect(restarted.url(), worker.user(), worker.password())) {
      Inbox jobs = Inbox.recording();
      Inbox control = Inbox.recording();
      try (Receiver receiving =
              workerBus.receive(
                  Source.subscription("tenant.acme.jobs", "w1"),
                  ReceiveOptions.ONE_AT_A_TIME,
                  jobs);
          Receiver reading =
              bus.receive(
                  Source.queue("tenant.acme.control"), ReceiveOptions.ONE_AT_A_TIME, control)) {
        bus.send("tenant.acme.jobs", message("job", Map.of("workerId", "w1")));
        workerBus.send("tenant.acme.control", message("ready"));

        assertThat(jobs.next().messageId()).isEqualTo("job");
        assertThat(control.next().messageId()).isEqualTo("ready");
      }
      assertThatThrownBy(() -> workerBus.send("tenant.acme.jobs", message("forged")))
          .isInstanceOf(BusException.class);
      assertThatThrownBy(
              () -> ArtemisMessageBus.connect(restarted.url(), revoked.user(), revoked.password()))
          .isInstanceOf(BusException.class);
    }
  }

  @Test
  void nonPersistentBrokerKeepsGrantedWorkersInMemory() {
    try (EmbeddedArtemis broker =
            EmbeddedArtemis.start(
                new EmbeddedArtemis.Settings(data, "127.0.0.1", 0, false, USER, PASSWORD));
        MessageBus bus = ArtemisMessageBus.connect(broker.url(), USER, PASSWORD)) {
      bus.createTopic("jobs", EntityOptions.DEFAULTS);
      bus.createQueue("control", EntityOptions.DEFAULTS);
      BusCredentials worker = bus.grantWorkerAccess("worker", "jobs", "control");

      ArtemisMessageBus.connect(broker.url(), worker.user(), worker.password()).close();
    }
  }

  @Test
  void unknownAndAnonymousUsersAreRejected() {
    try (EmbeddedArtemis broker = start(0)) {
      assertThatThrownBy(() -> ArtemisMessageBus.connect(broker.url(), "intruder", "guess"))
          .isInstanceOf(BusException.class);
      assertThatThrownBy(() -> ArtemisMessageBus.connect(broker.url(), null, null))
          .isInstanceOf(BusException.class);
    }
  }

  private static void awaitHealth(MessageBus bus, boolean up) {
    await("bus health up=" + up)
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .untilAsserted(
            () -> {
              BusHealth health = bus.health();
              assertThat(health.up()).as(health.detail()).isEqualTo(up);
            });
  }

  /** Sends fail with a transient error while the client reconnects; a caller retries those. */
  private static void sendUntilAccepted(MessageBus bus, OutgoingMessage message) {
    await("a send accepted after the reconnect")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptionsMatching(e -> e instanceof BusException busError && busError.isTransient())
        .until(
            () -> {
              bus.send("jobs", message);
              return true;
            });
  }
}
