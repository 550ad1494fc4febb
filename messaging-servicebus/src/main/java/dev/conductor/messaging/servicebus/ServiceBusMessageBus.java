package dev.conductor.messaging.servicebus;

import com.azure.core.amqp.AmqpRetryMode;
import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.http.policy.ExponentialBackoffOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClientBuilder;
import com.azure.messaging.servicebus.models.ServiceBusReceiveMode;
import com.azure.messaging.servicebus.models.SubQueue;
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
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link MessageBus} on Azure Service Bus (AMQP through the SDK's clients, entities through its
 * administration client). See {@code docs/messaging.md} for the topology, the rights each side
 * needs and the tier choice.
 *
 * <ul>
 *   <li>queue, topic: Service Bus queue and topic(s), names mapped by {@link ServiceBusNames}, a
 *       topic split over {@link TopicShards}; duplicate detection on, so a re-sent id is dropped.
 *   <li>subscription: one correlation rule from the filter (never SQL), the topic's {@code
 *       maxDeliveryCount}, auto-delete-on-idle as a backstop against leaks.
 *   <li>send: {@code MessageId} = the port's id, properties as application properties; to the shard
 *       of the message's {@code workerId}.
 *   <li>schedule / cancel: {@code scheduleMessage}, token {@code <shard>:<sequence number>}; cancel
 *       returns false once Service Bus no longer has it (activated or unknown).
 *   <li>receive: a processor in peek-lock mode, see {@link ServiceBusReceiver}; dead letters are
 *       the entity's {@code $deadletterqueue}.
 *   <li>worker access: entity-level SAS rules, see {@link ServiceBusWorkerAccess}.
 * </ul>
 *
 * Transient faults (throttling, timeouts, lost connections) are retried by the SDK up to three
 * times with exponential backoff (0.5 s to 5 s, 30 s per try), then surface as transient {@link
 * BusException}s. {@link #connect} does no I/O: a bad key or an unreachable namespace shows at
 * first use and in {@link #health()}.
 */
public final class ServiceBusMessageBus implements MessageBus {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceBusMessageBus.class);
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final AmqpRetryOptions AMQP_RETRY =
      new AmqpRetryOptions()
          .setMode(AmqpRetryMode.EXPONENTIAL)
          .setMaxRetries(3)
          .setDelay(Duration.ofMillis(500))
          .setMaxDelay(Duration.ofSeconds(5))
          .setTryTimeout(Duration.ofSeconds(30));
  private static final RetryOptions HTTP_RETRY =
      new RetryOptions(
          new ExponentialBackoffOptions()
              .setMaxRetries(3)
              .setBaseDelay(Duration.ofMillis(500))
              .setMaxDelay(Duration.ofSeconds(5)));

  private final ServiceBusSettings settings;
  private final BusCapabilities capabilities;
  private final String host;
  private final int port;
  private final TopicShards shards;
  private final ServiceBusErrors errors;
  private final ServiceBusClientBuilder messaging;
  private final ServiceBusAdministrationClient admin;
  private final ServiceBusTopology topology;
  private final ServiceBusWorkerAccess access;
  private final Map<String, ServiceBusSenderClient> senders = new ConcurrentHashMap<>();
  private final Map<String, Boolean> topics = new ConcurrentHashMap<>();
  private final Set<ServiceBusReceiver> receivers = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private ServiceBusMessageBus(ServiceBusSettings settings) {
    this.settings = settings;
    boolean emulator = settings.emulator();
    this.capabilities =
        new BusCapabilities(
            !emulator,
            settings.administration() && !emulator,
            settings.administration(),
            settings.premium(),
            false);
    this.host = settings.namespaceHost();
    this.port = settings.amqpPort();
    this.shards = new TopicShards(settings.topicShards());
    this.errors = new ServiceBusErrors(settings.keyName(), settings.key());
    // Every client built from this builder shares one AMQP connection.
    this.messaging =
        new ServiceBusClientBuilder()
            .connectionString(settings.connectionString())
            .retryOptions(AMQP_RETRY);
    this.admin =
        new ServiceBusAdministrationClientBuilder()
            .connectionString(settings.connectionString())
            .retryOptions(HTTP_RETRY)
            .buildClient();
    this.topology = new ServiceBusTopology(admin, messaging, settings, shards);
    this.access = new ServiceBusWorkerAccess(admin, shards);
  }

  public static ServiceBusMessageBus connect(ServiceBusSettings settings) {
    Objects.requireNonNull(settings, "settings");
    if (!settings.administration() && settings.topicShards() != 1) {
      throw new IllegalArgumentException("topic shards need administration (one shard otherwise)");
    }
    ServiceBusMessageBus bus = new ServiceBusMessageBus(settings);
    LOG.info(
        "Service Bus ready namespace={} keyName={} topicShards={} administration={}",
        bus.host,
        settings.keyName(),
        settings.topicShards(),
        settings.administration());
    return bus;
  }

  // --- topology ---------------------------------------------------------------------------------

  @Override
  public void createTopic(String topic, EntityOptions options) {
    Objects.requireNonNull(options, "options");
    run("create topic '" + topic + "'", () -> topology.createTopic(topic, options));
    // A send before the create may have cached it as "not a topic" (shard 0 only).
    topics.put(topic, true);
  }

  @Override
  public void deleteTopic(String topic) {
    run("delete topic '" + topic + "'", () -> topology.deleteTopic(topic));
    topics.remove(topic);
    shards.topics(topic).forEach(this::closeSender);
  }

  @Override
  public boolean topicExists(String topic) {
    return call("check topic '" + topic + "'", () -> topology.topicExists(topic));
  }

  @Override
  public void createSubscription(String topic, String subscription, CorrelationFilter filter) {
    Objects.requireNonNull(filter, "filter");
    run(
        "create " + Source.subscription(topic, subscription).describe(),
        () -> topology.createSubscription(topic, subscription, filter));
  }

  @Override
  public void deleteSubscription(String topic, String subscription) {
    run(
        "delete " + Source.subscription(topic, subscription).describe(),
        () -> topology.deleteSubscription(topic, subscription));
  }

  @Override
  public boolean subscriptionExists(String topic, String subscription) {
    return call(
        "check " + Source.subscription(topic, subscription).describe(),
        () -> topology.subscriptionExists(topic, subscription));
  }

  @Override
  public void createQueue(String queue, EntityOptions options) {
    Objects.requireNonNull(options, "options");
    run("create queue '" + queue + "'", () -> topology.createQueue(queue, options));
  }

  @Override
  public void deleteQueue(String queue) {
    run("delete queue '" + queue + "'", () -> topology.deleteQueue(queue));
    closeSender(ServiceBusNames.entity(queue));
  }

  @Override
  public boolean queueExists(String queue) {
    return call("check queue '" + queue + "'", () -> topology.queueExists(queue));
  }

  // --- messages ---------------------------------------------------------------------------------

  @Override
  public void send(String destination, OutgoingMessage message) {
    int shard = shardOf(destination, message);
    String physical = physical(destination, shard);
    run(
        "send message '" + message.messageId() + "' to '" + destination + "'",
        () ->
            withSender(
                physical, sender -> sender.sendMessage(ServiceBusMessages.toServiceBus(message))));
  }

  @Override
  public ScheduledMessage schedule(String destination, OutgoingMessage message, Instant deliverAt) {
    Objects.requireNonNull(deliverAt, "deliverAt");
    int shard = shardOf(destination, message);
    String physical = physical(destination, shard);
    long sequence =
        call(
            "schedule message '" + message.messageId() + "' to '" + destination + "'",
            () ->
                fromSender(
                    physical,
                    sender ->
                        sender.scheduleMessage(
                            ServiceBusMessages.toServiceBus(message),
                            OffsetDateTime.ofInstant(
                                ScheduledMessage.ceilMillis(deliverAt), ZoneOffset.UTC))));
    return new ScheduledMessage(destination, shard + ":" + sequence);
  }

  @Override
  public boolean cancelScheduled(ScheduledMessage scheduled) {
    String destination = scheduled.destination();
    String[] parts = scheduled.token().split(":", 2);
    int shard;
    long sequence;
    try {
      shard = Integer.parseInt(parts[0]);
      sequence = Long.parseLong(parts[1]);
    } catch (RuntimeException e) {
      return false;
    }
    if (shard < 0 || shard >= shards.count()) {
      return false;
    }
    String physical = physical(destination, shard);
    String action = "cancel scheduled message " + scheduled.token() + " to '" + destination + "'";
    checkOpen();
    try {
      withSender(physical, sender -> sender.cancelScheduledMessage(sequence));
      return true;
    } catch (RuntimeException e) {
      // Already activated, never there, or its entity gone: nothing left to cancel.
      if (ServiceBusErrors.isMessageNotFound(e) || ServiceBusErrors.isNotFound(e)) {
        return false;
      }
      throw errors.wrap(action, e);
    }
  }

  @Override
  public Receiver receive(Source source, ReceiveOptions options, MessageHandler handler) {
    Objects.requireNonNull(handler, "handler");
    Objects.requireNonNull(options, "options");
    String what = source.describe();
    boolean deadLetters = source instanceof Source.DeadLetters;
    Source of = deadLetters ? ((Source.DeadLetters) source).entity() : source;
    checkOpen();
    // The processor reports a missing entity or a refusal only to its error callback: ask first.
    run("receive from " + what, () -> probe(of, deadLetters, what));
    ServiceBusReceiver receiver =
        new ServiceBusReceiver(what, deadLetters, handler, errors, receivers::remove);
    receivers.add(receiver);
    try {
      receiver.start(consumer -> processor(of, deadLetters, options, consumer, receiver));
    } catch (RuntimeException e) {
      receivers.remove(receiver);
      throw errors.wrap("receive from " + what, e);
    }
    return receiver;
  }

  private ServiceBusProcessorClient processor(
      Source of,
      boolean deadLetters,
      ReceiveOptions options,
      Consumer<ServiceBusReceivedMessageContext> consumer,
      ServiceBusReceiver receiver) {
    ServiceBusClientBuilder.ServiceBusProcessorClientBuilder builder = messaging.processor();
    if (of instanceof Source.Queue queue) {
      builder.queueName(ServiceBusNames.entity(queue.name()));
    } else {
      Source.Subscription subscription = (Source.Subscription) of;
      builder
          .topicName(physicalTopicOf(subscription))
          .subscriptionName(ServiceBusNames.subscription(subscription.name()));
    }
    if (deadLetters) {
      builder.subQueue(SubQueue.DEAD_LETTER_QUEUE);
    }
    return builder
        .receiveMode(ServiceBusReceiveMode.PEEK_LOCK)
        .disableAutoComplete()
        // Each message is settled on its own and waited for: stronger than pipelinedCompletion
        // asks.
        .prefetchCount(0)
        .maxConcurrentCalls(options.maxConcurrent())
        .maxAutoLockRenewDuration(settings.maxLockRenewal())
        .processMessage(consumer)
        .processError(receiver::onError)
        .buildProcessorClient();
  }

  private void probe(Source of, boolean deadLetters, String what) {
    ServiceBusClientBuilder.ServiceBusReceiverClientBuilder builder = messaging.receiver();
    if (of instanceof Source.Queue queue) {
      builder.queueName(ServiceBusNames.entity(queue.name()));
    } else {
      Source.Subscription subscription = (Source.Subscription) of;
      builder
          .topicName(physicalTopicOf(subscription))
          .subscriptionName(ServiceBusNames.subscription(subscription.name()));
    }
    if (deadLetters) {
      builder.subQueue(SubQueue.DEAD_LETTER_QUEUE);
    }
    if (!ServiceBusTopology.peekProbe(builder)) {
      throw new BusException(what + " does not exist", false, null);
    }
  }

  // --- worker access ----------------------------------------------------------------------------

  @Override
  public BusCredentials grantWorkerAccess(String principal, String topic, String controlQueue) {
    requireWorkerPrincipal(principal);
    requireScopedCredentials("grant worker access to '" + principal + "'");
    return call(
        "grant worker access to '" + principal + "'",
        () -> access.grant(principal, topic, controlQueue));
  }

  @Override
  public void revokeWorkerAccess(String principal) {
    requireWorkerPrincipal(principal);
    requireScopedCredentials("revoke worker access of '" + principal + "'");
    run("revoke worker access of '" + principal + "'", () -> access.revoke(principal));
  }

  private void requireWorkerPrincipal(String principal) {
    if (ServiceBusNames.rule(principal).equals(settings.keyName())) {
      throw new IllegalArgumentException(
          "principal '" + principal + "' is the bus's own key name, not a worker");
    }
  }

  private void requireScopedCredentials(String action) {
    if (!capabilities().scopedCredentials()) {
      throw new BusException(
          "cannot "
              + action
              + ": this bus cannot grant scoped credentials (no administration,"
              + " or the emulator)",
          false,
          null);
    }
  }

  // --- health and lifecycle ---------------------------------------------------------------------

  @Override
  public BusCapabilities capabilities() {
    return capabilities;
  }

  /**
   * Whether the namespace's AMQP endpoint takes connections; needs no rights, so workers use it.
   */
  @Override
  public BusHealth health() {
    if (closed) {
      return new BusHealth(false, "closed");
    }
    String endpoint = host + ":" + port;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) HEALTH_TIMEOUT.toMillis());
      return new BusHealth(true, "Service Bus namespace " + endpoint + " reachable");
    } catch (IOException e) {
      return new BusHealth(
          false,
          "Service Bus namespace " + endpoint + " unreachable: " + errors.scrub(e.toString()));
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (ServiceBusReceiver receiver : Set.copyOf(receivers)) {
      receiver.close();
    }
    senders.values().forEach(ServiceBusSenderClient::close);
    senders.clear();
    LOG.info("disconnected from Service Bus namespace={}", host);
  }

  // --- helpers ----------------------------------------------------------------------------------

  /**
   * Runs with the cached sender of an entity, shared by all threads. A failure leaves it in place:
   * the SDK re-opens its link and connection itself, and closing it would fail the other threads'
   * sends in flight. It is closed only with the bus or when this bus deletes the entity.
   */
  void withSender(String physical, Consumer<ServiceBusSenderClient> work) {
    fromSender(
        physical,
        sender -> {
          work.accept(sender);
          return null;
        });
  }

  /** {@link #withSender} for work with a result. */
  <T> T fromSender(String physical, Function<ServiceBusSenderClient, T> work) {
    checkOpen();
    return work.apply(
        senders.computeIfAbsent(
            physical, name -> messaging.sender().queueName(name).buildClient()));
  }

  private void closeSender(String physical) {
    ServiceBusSenderClient sender = senders.remove(physical);
    if (sender != null) {
      sender.close();
    }
  }

  private int shardOf(String destination, OutgoingMessage message) {
    return shards.count() > 1 && isTopic(destination) ? shards.ofMessage(message.properties()) : 0;
  }

  /** Shard 0 of a topic and a queue share the plain mapped name. */
  private String physical(String destination, int shard) {
    return shard == 0 ? ServiceBusNames.entity(destination) : shards.topic(destination, shard);
  }

  private String physicalTopicOf(Source.Subscription subscription) {
    return shards.topicOf(subscription.topic(), subscription.name());
  }

  /** Only for routing with several shards; workers (no Manage) only ever send to queues. */
  private boolean isTopic(String destination) {
    return topics.computeIfAbsent(
        destination,
        name -> {
          try {
            return admin.getTopicExists(ServiceBusNames.entity(name));
          } catch (RuntimeException e) {
            if (ServiceBusErrors.isAccessDenied(e)) {
              return false;
            }
            throw errors.wrap("check topic '" + name + "'", e);
          }
        });
  }

  private void run(String action, Runnable work) {
    call(
        action,
        () -> {
          work.run();
          return null;
        });
  }

  private <T> T call(String action, Supplier<T> work) {
    checkOpen();
    try {
      return work.get();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) {
      throw errors.wrap(action, e);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("the message bus is closed");
    }
  }
}
