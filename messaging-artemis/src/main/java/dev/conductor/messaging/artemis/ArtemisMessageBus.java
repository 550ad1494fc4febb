package dev.conductor.messaging.artemis;

import static dev.conductor.messaging.artemis.ArtemisNames.entity;
import static dev.conductor.messaging.artemis.ArtemisNames.literal;
import static dev.conductor.messaging.artemis.ArtemisNames.subscriptionQueue;

import dev.conductor.messaging.BatchHandler;
import dev.conductor.messaging.BusAccess;
import dev.conductor.messaging.BusCapabilities;
import dev.conductor.messaging.BusCredentials;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.BusHealth;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageHandler;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceiveOptions;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.ScheduledMessage;
import dev.conductor.messaging.Source;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ActiveMQClient;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageBus} on ActiveMQ Artemis through the CORE client; works against the {@link
 * EmbeddedArtemis} broker or any remote broker whose user may send, consume, create and delete
 * addresses and queues, and manage (worker access also needs a security manager that manages users
 * at runtime: the basic security manager, or JAAS with the properties login module).
 *
 * <p>Mapping (entity names: letters, digits, {@code . _ -}; {@code ~} and {@code $} are reserved):
 *
 * <ul>
 *   <li>queue {@code Q}: ANYCAST address {@code Q} with the durable ANYCAST queue {@code Q}.
 *   <li>topic {@code T}: MULTICAST address {@code T}; a message sent to a topic with no
 *       subscription is dropped, as on Service Bus.
 *   <li>subscription {@code S} of {@code T}: durable MULTICAST queue {@code T~S} on {@code T} whose
 *       Artemis filter is the correlation filter ({@code a = 'x' AND b = 'y'}).
 *   <li>dead letters: the entity's address {@code A} has address settings {@code
 *       max-delivery-attempts = maxDeliveryCount} and {@code dead-letter-address = A~$dlq}, a
 *       MULTICAST address holding one queue per entity queue ({@code Q~$dlq}, {@code T~S~$dlq})
 *       filtered on {@code _AMQ_ORIG_QUEUE}, so each subscription's dead letters stay apart. The
 *       broker moves a message there after {@code maxDeliveryCount} deliveries; {@link
 *       dev.conductor.messaging.ReceivedMessage#deadLetter} sends a copy with a {@code
 *       deadLetterReason} property and acks the original in one transaction. Subscriptions use
 *       their topic's options.
 *   <li>send: durable message, properties as string properties, the message id in {@code
 *       _conductor_messageId} and as duplicate-detection id ({@code _AMQ_DUPL_ID}), so the broker
 *       drops a re-send of the same id to the same address. {@code sendAsync} sends on a session of
 *       its own connection with a confirmation window, completing when the broker answers that it
 *       stored the message ({@link ArtemisAsyncSends}). The destination must exist: the adapter
 *       checks once per destination (a remote broker may auto-create addresses) and then remembers
 *       it and its routing type until this bus deletes it. Every send carries that routing type, so
 *       the broker refuses a send to an address deleted elsewhere (it would drop a message without
 *       one); addresses are never auto-created on the embedded broker (keep auto-creation off on a
 *       remote one too, or such a send would re-create the address).
 *   <li>schedule: {@code _AMQ_SCHED_DELIVERY}; the token is a random {@code
 *       _conductor_scheduleToken}, and cancel removes the matching messages from every queue of the
 *       destination through the management address ({@code removeMessages(filter)}), which also
 *       covers scheduled messages. A message already handed to a consumer is not removed.
 *   <li>receive: peek-lock on transacted sessions, one per concurrency slot, no prefetch. Complete
 *       commits the ack, abandon rolls back (the broker counts a delivery), a consumer that goes
 *       away unsettled hands the message back. A batch receiver takes what the queue holds at once
 *       (no prefetch: one credit per message) and settles the batch in one commit, see {@link
 *       ArtemisBatch}.
 *   <li>worker access: a broker user with the roles {@code worker.listen.T} (consume on {@code T},
 *       send on {@code T~$dlq}) and {@code worker.send.Q} (send on {@code Q}), see {@link
 *       ArtemisWorkerAccess}; revoke removes the user and closes its connections.
 * </ul>
 *
 * <p>Topology and cancel use CORE management messages, not in-process server access, so they work
 * the same against a remote broker. The client pings every second and the broker drops a silent
 * connection after 5 s ({@code clientFailureCheckPeriod=1000}, {@code connectionTTL=5000}), so a
 * crashed process's messages come back within seconds; the client reconnects on its own after a
 * broker restart. Values given in the URL's query take precedence.
 */
public final class ArtemisMessageBus implements MessageBus {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisMessageBus.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

  /** The URL without its query, which may carry key-store passwords; safe for logs and health. */
  private final String url;

  private final ServerLocator locator;
  private final ClientSessionFactory factory;
  private final SessionPool sessions;
  private final ArtemisManagement management;
  private final ArtemisTopology topology;
  private final ArtemisWorkerAccess access;
  private final ArtemisAsyncSends asyncSends;
  private final String user;
  private final String password;
  private final Set<ArtemisReceiver> receivers = ConcurrentHashMap.newKeySet();
  // Destinations known to exist, by routing type: a send checks only the first time.
  private final Map<String, RoutingType> knownDestinations = new ConcurrentHashMap<>();
  private final AtomicBoolean reconnecting = new AtomicBoolean();
  private volatile boolean closed;

  private ArtemisMessageBus(
      String url, ServerLocator locator, ClientSessionFactory factory, String user, String pw) {
    this.url = BusAccess.withoutQuery(url);
    this.locator = locator;
    this.factory = factory;
    this.user = user;
    this.password = pw;
    this.sessions = new SessionPool(factory, user, pw);
    this.management = new ArtemisManagement(factory, user, pw, CALL_TIMEOUT);
    this.topology = new ArtemisTopology(management);
    this.access = new ArtemisWorkerAccess(management);
    this.asyncSends = new ArtemisAsyncSends(() -> locator(url), user, pw, CALL_TIMEOUT);
    factory.addFailoverListener(
        event -> reconnecting.set(event == FailoverEventType.FAILURE_DETECTED));
  }

  /**
   * Connects and checks the credentials. {@code url} is an Artemis CORE URL such as {@code
   * tcp://127.0.0.1:61616}.
   */
  public static ArtemisMessageBus connect(String url, String user, String password) {
    Objects.requireNonNull(url, "url");
    ServerLocator locator = null;
    ClientSessionFactory factory = null;
    try {
      locator = locator(url);
      factory = locator.createSessionFactory();
      factory.createSession(user, password, false, true, true, false, 0).close();
      LOG.info("connected to Artemis url={} user={}", BusAccess.withoutQuery(url), user);
      return new ArtemisMessageBus(url, locator, factory, user, password);
    } catch (Exception e) {
      if (factory != null) {
        factory.close();
      }
      if (locator != null) {
        locator.close();
      }
      throw ArtemisErrors.wrap(
          "connect to Artemis at " + BusAccess.withoutQuery(url) + " as " + user, e);
    }
  }

  // --- topology -------------------------------------------------------------------------------

  @Override
  public void createTopic(String topic, EntityOptions options) {
    entity("topic", topic);
    run("create topic '" + topic + "'", s -> topology.createTopic(s, topic, options));
    knownDestinations.put(topic, RoutingType.MULTICAST);
  }

  @Override
  public void deleteTopic(String topic) {
    entity("topic", topic);
    knownDestinations.remove(topic);
    run("delete topic '" + topic + "'", s -> topology.deleteTopic(s, topic));
  }

  @Override
  public boolean topicExists(String topic) {
    entity("topic", topic);
    return call("check topic '" + topic + "'", s -> ArtemisTopology.isTopic(s, topic));
  }

  @Override
  public void createSubscription(String topic, String subscription, CorrelationFilter filter) {
    subscriptionQueue(topic, subscription);
    String filterString = ArtemisNames.filter(filter);
    run(
        "create " + subscriptionName(topic, subscription),
        s -> topology.createSubscription(s, topic, subscription, filterString));
  }

  @Override
  public void deleteSubscription(String topic, String subscription) {
    subscriptionQueue(topic, subscription);
    run(
        "delete " + subscriptionName(topic, subscription),
        s -> topology.deleteSubscription(s, topic, subscription));
  }

  @Override
  public boolean subscriptionExists(String topic, String subscription) {
    subscriptionQueue(topic, subscription);
    return call(
        "check " + subscriptionName(topic, subscription),
        s -> ArtemisTopology.isSubscription(s, topic, subscription));
  }

  @Override
  public void createQueue(String queue, EntityOptions options) {
    entity("queue", queue);
    run("create queue '" + queue + "'", s -> topology.createQueue(s, queue, options));
    knownDestinations.put(queue, RoutingType.ANYCAST);
  }

  @Override
  public void deleteQueue(String queue) {
    entity("queue", queue);
    knownDestinations.remove(queue);
    run("delete queue '" + queue + "'", s -> topology.deleteQueue(s, queue));
  }

  @Override
  public boolean queueExists(String queue) {
    entity("queue", queue);
    return call("check queue '" + queue + "'", s -> ArtemisTopology.isQueue(s, queue));
  }

  // --- messages -------------------------------------------------------------------------------

  @Override
  public void send(String destination, OutgoingMessage message) {
    send(destination, message, null);
  }

  @Override
  public ScheduledMessage schedule(String destination, OutgoingMessage message, Instant deliverAt) {
    Objects.requireNonNull(deliverAt, "deliverAt");
    String token = UUID.randomUUID().toString();
    send(destination, message, new Later(deliverAt, token));
    return new ScheduledMessage(destination, token);
  }

  /** When a scheduled message is due and the token that finds it to cancel it. */
  private record Later(Instant deliverAt, String token) {}

  @Override
  public CompletableFuture<Void> sendAsync(String destination, OutgoingMessage message) {
    String action = "send message '" + message.messageId() + "' to '" + destination + "'";
    try {
      entity("destination", destination);
      ArtemisNames.checkOutgoingProperties(message.properties());
      checkOpen();
      RoutingType known = knownDestinations.get(destination);
      RoutingType routing =
          known != null ? known : call(action, s -> requireDestination(s, destination));
      knownDestinations.put(destination, routing);
      return asyncSends.send(
          destination,
          session -> outgoing(session, routing, message, null),
          action,
          () -> knownDestinations.remove(destination));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void send(String destination, OutgoingMessage message, @Nullable Later later) {
    entity("destination", destination);
    ArtemisNames.checkOutgoingProperties(message.properties());
    SimpleString address = SimpleString.of(destination);
    runWithProducer(
        "send message '" + message.messageId() + "' to '" + destination + "'",
        lease -> {
          RoutingType routing = knownDestinations.get(destination);
          if (routing == null) {
            routing = requireDestination(lease.session(), destination);
            knownDestinations.put(destination, routing);
          }
          ClientMessage out = outgoing(lease.session(), routing, message, later);
          try {
            lease.producer().send(address, out);
          } catch (ActiveMQException e) {
            if (e.getType() != ActiveMQExceptionType.ADDRESS_DOES_NOT_EXIST) {
              throw e;
            }
            // Deleted since it was checked (by another connection): the broker refuses, never
            // drops.
            knownDestinations.remove(destination);
            throw new BusException("destination '" + destination + "' does not exist", false, e);
          }
        });
  }

  /** A durable message with the port's id (also for duplicate detection) and properties. */
  private static ClientMessage outgoing(
      ClientSession session, RoutingType routing, OutgoingMessage message, @Nullable Later later) {
    ClientMessage out = session.createMessage(true);
    // With a routing type the broker refuses a send to a missing address instead of dropping it.
    out.setRoutingType(routing);
    message.properties().forEach(out::putStringProperty);
    out.putStringProperty(ArtemisNames.MESSAGE_ID, message.messageId());
    out.putStringProperty(Message.HDR_DUPLICATE_DETECTION_ID.toString(), message.messageId());
    if (later != null) {
      out.putLongProperty(
          Message.HDR_SCHEDULED_DELIVERY_TIME,
          ScheduledMessage.ceilMillis(later.deliverAt()).toEpochMilli());
      out.putStringProperty(ArtemisNames.SCHEDULE_TOKEN, later.token());
    }
    out.getBodyBuffer().writeBytes(message.body());
    return out;
  }

  @Override
  public boolean cancelScheduled(ScheduledMessage scheduled) {
    String destination = entity("destination", scheduled.destination());
    String filter = ArtemisNames.SCHEDULE_TOKEN + " = " + literal(scheduled.token());
    return call(
        "cancel scheduled message " + scheduled.token() + " to '" + destination + "'",
        session -> {
          ClientSession.AddressQuery address = session.addressQuery(SimpleString.of(destination));
          if (!address.isExists()) {
            return false;
          }
          long removed = 0;
          for (SimpleString queue : address.getQueueNames()) {
            Object count = management.queue(queue.toString(), "removeMessages", filter);
            removed += ((Number) count).longValue();
          }
          return removed > 0;
        });
  }

  @Override
  public Receiver receive(Source source, ReceiveOptions options, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    String queue = ArtemisNames.queueOf(source);
    return start(
        source,
        ArtemisReceiver.single(
            factory,
            user,
            password,
            queue,
            ArtemisNames.deadLetterAddressOf(source),
            handler,
            options.pipelinedCompletion(),
            receivers::remove),
        options.maxConcurrent());
  }

  @Override
  public Receiver receiveBatches(Source source, int maxMessages, BatchHandler handler) {
    Objects.requireNonNull(handler, "handler");
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be at least 1");
    }
    String queue = ArtemisNames.queueOf(source);
    return start(
        source,
        new ArtemisReceiver(
            factory,
            user,
            password,
            queue,
            ArtemisNames.deadLetterAddressOf(source),
            handler,
            maxMessages,
            receivers::remove),
        1);
  }

  /** Starts a receiver on its source's queue, which must exist. */
  private Receiver start(Source source, ArtemisReceiver receiver, int concurrency) {
    String queue = ArtemisNames.queueOf(source);
    String what = source.describe();
    run(
        "receive from " + what,
        session -> {
          if (!session.queueQuery(SimpleString.of(queue)).isExists()) {
            throw new BusException(what + " does not exist", false, null);
          }
          checkOpen();
          receivers.add(receiver);
          try {
            receiver.start(concurrency);
          } catch (Exception e) {
            receivers.remove(receiver);
            throw e;
          }
        });
    return receiver;
  }

  // --- worker access --------------------------------------------------------------------------

  @Override
  public BusCredentials grantWorkerAccess(String principal, String topic, String controlQueue) {
    requireOtherThanSelf(entity("principal", principal));
    entity("topic", topic);
    entity("queue", controlQueue);
    return manage(
        "grant worker access to '" + principal + "'",
        () -> access.grant(principal, topic, controlQueue));
  }

  @Override
  public void revokeWorkerAccess(String principal) {
    requireOtherThanSelf(entity("principal", principal));
    manage(
        "revoke worker access of '" + principal + "'",
        () -> {
          access.revoke(principal);
          return null;
        });
  }

  private void requireOtherThanSelf(String principal) {
    if (principal.equals(user)) {
      throw new IllegalArgumentException(
          "principal '" + principal + "' is the bus's own user, not a worker");
    }
  }

  // --- health and lifecycle -------------------------------------------------------------------

  @Override
  public BusCapabilities capabilities() {
    return BusCapabilities.ALL;
  }

  @Override
  public BusHealth health() {
    if (closed) {
      return new BusHealth(false, "closed");
    }
    if (factory.isClosed()) {
      return new BusHealth(false, "connection to " + url + " closed");
    }
    if (reconnecting.get()) {
      return new BusHealth(false, "reconnecting to " + url);
    }
    try {
      sessions.with(
          lease ->
              lease.session().addressQuery(SimpleString.of(ArtemisManagement.MANAGEMENT_ADDRESS)));
      return new BusHealth(true, "connected to " + url);
    } catch (Exception e) {
      return new BusHealth(false, "broker at " + url + " unreachable: " + e);
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ArtemisReceiver receiver : Set.copyOf(receivers)) {
      receiver.close();
    }
    management.close();
    asyncSends.close();
    sessions.close();
    factory.close();
    locator.close();
    LOG.info("disconnected from Artemis url={}", url);
  }

  // --- helpers --------------------------------------------------------------------------------

  @FunctionalInterface
  private interface SessionCall<T> {
    T apply(ClientSession session) throws Exception;
  }

  @FunctionalInterface
  private interface SessionStep {
    void apply(ClientSession session) throws Exception;
  }

  @FunctionalInterface
  private interface LeaseStep {
    void apply(SessionPool.Lease lease) throws Exception;
  }

  private void run(String action, SessionStep step) {
    runWithProducer(action, lease -> step.apply(lease.session()));
  }

  private void runWithProducer(String action, LeaseStep step) {
    callWithProducer(action, lease -> effect(step, lease));
  }

  /** A step run for its effect alone; its Void result is the absent value NullAway allows. */
  private static Void effect(LeaseStep step, SessionPool.Lease lease) throws Exception {
    step.apply(lease);
    return null;
  }

  private <T> T call(String action, SessionCall<T> work) {
    return callWithProducer(action, lease -> work.apply(lease.session()));
  }

  private <T> T callWithProducer(String action, SessionPool.Work<T> work) {
    return manage(action, () -> sessions.with(work));
  }

  /** Runs work, failures wrapped as bus errors; management-only work needs no pooled session. */
  private <T> T manage(String action, Callable<T> work) {
    checkOpen();
    try {
      return work.call();
    } catch (Exception e) {
      throw ArtemisErrors.wrap(action, e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the message bus is closed");
    }
  }

  private static ServerLocator locator(String url) throws Exception {
    ServerLocator locator = ActiveMQClient.createServerLocator(url);
    applyDefaults(locator, url);
    return locator;
  }

  private static void applyDefaults(ServerLocator locator, String url) {
    Set<String> given = queryKeys(url);
    BiConsumer<String, Runnable> unlessGiven =
        (key, apply) -> {
          if (!given.contains(key)) {
            apply.run();
          }
        };
    unlessGiven.accept(
        "clientFailureCheckPeriod", () -> locator.setClientFailureCheckPeriod(1_000));
    unlessGiven.accept("connectionTTL", () -> locator.setConnectionTTL(5_000));
    unlessGiven.accept("callTimeout", () -> locator.setCallTimeout(CALL_TIMEOUT.toMillis()));
    unlessGiven.accept(
        "callFailoverTimeout", () -> locator.setCallFailoverTimeout(CALL_TIMEOUT.toMillis()));
    // Keep reconnecting (backing off to 5 s) so receivers survive a broker restart.
    unlessGiven.accept("reconnectAttempts", () -> locator.setReconnectAttempts(-1));
    unlessGiven.accept("retryInterval", () -> locator.setRetryInterval(500));
    unlessGiven.accept("retryIntervalMultiplier", () -> locator.setRetryIntervalMultiplier(2.0));
    unlessGiven.accept("maxRetryInterval", () -> locator.setMaxRetryInterval(5_000));
    unlessGiven.accept("consumerWindowSize", () -> locator.setConsumerWindowSize(0));
  }

  private static Set<String> queryKeys(String url) {
    int query = url.indexOf('?');
    if (query < 0) {
      return Set.of();
    }
    Set<String> keys = new HashSet<>();
    for (String pair : url.substring(query + 1).split("&")) {
      int eq = pair.indexOf('=');
      keys.add(eq < 0 ? pair : pair.substring(0, eq));
    }
    return keys;
  }

  /** The destination's routing type; a destination that does not exist is refused. */
  private static RoutingType requireDestination(ClientSession session, String destination)
      throws Exception {
    ClientSession.AddressQuery query = session.addressQuery(SimpleString.of(destination));
    if (!query.isExists()) {
      throw new BusException("destination '" + destination + "' does not exist", false, null);
    }
    return query.isSupportsMulticast() ? RoutingType.MULTICAST : RoutingType.ANYCAST;
  }

  private static String subscriptionName(String topic, String subscription) {
    return "subscription '" + subscription + "' of topic '" + topic + "'";
  }
}
