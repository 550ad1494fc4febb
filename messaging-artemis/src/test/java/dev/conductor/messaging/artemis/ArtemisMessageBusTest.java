package dev.conductor.messaging.artemis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusContract;
import dev.conductor.messaging.ScheduledMessage;
import dev.conductor.messaging.Source;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.client.SessionFailureListener;
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

  @Override
  protected MessageBus connect(BusCredentials credentials) {
    return ArtemisMessageBus.connect(broker.url(), credentials.user(), credentials.password());
  }

  /** Stronger than the contract, which checks this on the job topic only. */
  @Test
  void workerCannotCancelScheduledMessagesOnItsControlQueue() {
    WorkerTenant tenant = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    ScheduledMessage scheduled =
        bus.schedule(tenant.controlQueue(), message("teardown"), Instant.now().plusSeconds(60));

    assertRefused(() -> worker.cancelScheduled(scheduled), tenant.controlQueue());

    assertThat(bus.cancelScheduled(scheduled)).as("still scheduled").isTrue();
  }

  /** Stronger than the contract, which lets an adapter take batches of one. */
  @Test
  void batchReceiverTakesWhatTheQueueHoldsAtOnce() throws Exception {
    String queue = unique("q");
    bus.createQueue(queue, EntityOptions.DEFAULTS);
    for (int i = 1; i <= 7; i++) {
      bus.send(queue, message("m-" + i));
    }
    Batches batches = new Batches();
    track(bus.receiveBatches(Source.queue(queue), 3, batches));

    assertThat(batches.next(7, Duration.ofSeconds(10))).hasSize(7);
    assertThat(batches.sizes()).containsExactly(3, 3, 1);
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

  /**
   * The broker closes the revoked principal's connections and refuses its reconnects. A raw client
   * without reconnects shows it quickly; the adapter's client keeps retrying until it is closed.
   */
  @Test
  void revokeClosesTheWorkersOpenConnections() throws Exception {
    WorkerTenant tenant = newWorkerTenant();
    BusCredentials worker = tenant.credentials();
    try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(worker.user(), worker.password(), false, true, true, false, 0)) {
      CountDownLatch failed = new CountDownLatch(1);
      session.addFailureListener(
          new SessionFailureListener() {
            @Override
            public void connectionFailed(ActiveMQException e, boolean failedOver) {
              failed.countDown();
            }

            @Override
            public void connectionFailed(ActiveMQException e, boolean failedOver, String node) {
              failed.countDown();
            }

            @Override
            public void beforeReconnect(ActiveMQException e) {}
          });
      session.createConsumer(tenant.topic() + "~" + tenant.subscription());
      session.start();

      bus.revokeWorkerAccess(worker.user());

      assertThat(failed.await(10, TimeUnit.SECONDS)).as("connection closed by the broker").isTrue();
    }
  }

  @Test
  void consumeIsCheckedOnTheSubscriptionsAddressAlsoForFullyQualifiedNames() throws Exception {
    WorkerTenant tenant = newWorkerTenant();
    WorkerTenant other = newWorkerTenant();
    BusCredentials worker = tenant.credentials();
    try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
        ClientSessionFactory factory = locator.createSessionFactory();
        ClientSession session =
            factory.createSession(worker.user(), worker.password(), false, true, true, false, 0)) {
      String own = tenant.topic() + "::" + tenant.topic() + "~" + tenant.subscription();
      String theirs = other.topic() + "::" + other.topic() + "~" + other.subscription();

      session.createConsumer(own).close();
      assertThatThrownBy(() -> session.createConsumer(theirs))
          .isInstanceOf(ActiveMQSecurityException.class);
      assertThatThrownBy(() -> session.createConsumer(tenant.controlQueue(), true))
          .as("browse the control queue")
          .isInstanceOf(ActiveMQSecurityException.class);
      assertThatThrownBy(
              () -> session.createConsumer(tenant.topic() + "~" + tenant.subscription() + "~$dlq"))
          .as("read its dead letters")
          .isInstanceOf(ActiveMQSecurityException.class);
    }
  }

  @Test
  void revokingTheLastWorkerOfATenantRemovesItsSecuritySettings() throws Exception {
    WorkerTenant tenant = newWorkerTenant();
    assertThat(rolesOn(tenant.topic())).contains("worker.listen." + tenant.topic());
    assertThat(rolesOn(tenant.topic() + "~$dlq")).contains("worker.listen." + tenant.topic());
    assertThat(rolesOn(tenant.controlQueue())).contains("worker.send." + tenant.controlQueue());

    bus.revokeWorkerAccess(tenant.credentials().user());

    for (String address :
        new String[] {tenant.topic(), tenant.topic() + "~$dlq", tenant.controlQueue()}) {
      assertThat(rolesOn(address)).as(address).doesNotContain("worker.").contains("\"admin\"");
    }
  }

  @Test
  void theBusesOwnUserAndOperatorsAreNeverTurnedIntoWorkers() throws Exception {
    String topic = unique("t");
    String queue = unique("q");

    assertThatThrownBy(() -> bus.grantWorkerAccess(USER, topic, queue))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.revokeWorkerAccess(USER))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> bus.grantWorkerAccess("worker,admin", topic, queue))
        .isInstanceOf(IllegalArgumentException.class);
    try (MessageBus admin = connect()) {
      assertThat(admin.health().up()).isTrue();
    }
    String operator = unique("operator");
    management("addUser", operator, "operator-secret", "admin", true);
    try {
      assertRefused(() -> bus.grantWorkerAccess(operator, topic, queue), "other than worker roles");
      assertRefused(() -> bus.revokeWorkerAccess(operator), "other than worker roles");
      ArtemisMessageBus.connect(broker.url(), operator, "operator-secret").close();
    } finally {
      management("removeUser", operator);
    }
  }

  /** The security settings that apply to an address, as the broker reports them. */
  private static String rolesOn(String address) throws Exception {
    return (String) management("getRolesAsJSON", address);
  }

  /** A broker management operation, as the admin. */
  private static Object management(String operation, Object... parameters) throws Exception {
    try (ServerLocator locator = ActiveMQClient.createServerLocator(broker.url());
        ClientSessionFactory factory = locator.createSessionFactory();
        ArtemisManagement admin =
            new ArtemisManagement(factory, USER, PASSWORD, Duration.ofSeconds(10))) {
      // Throws when the broker refuses the operation.
      return admin.broker(operation, parameters);
    }
  }
}
