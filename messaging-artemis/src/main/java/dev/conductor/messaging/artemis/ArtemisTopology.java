package dev.conductor.messaging.artemis;

import static dev.conductor.messaging.artemis.ArtemisNames.deadLetterAddress;
import static dev.conductor.messaging.artemis.ArtemisNames.deadLetterFilter;
import static dev.conductor.messaging.artemis.ArtemisNames.deadLetterQueue;
import static dev.conductor.messaging.artemis.ArtemisNames.subscriptionQueue;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.EntityOptions;
import jakarta.annotation.Nullable;
import org.apache.activemq.artemis.api.core.ActiveMQAddressExistsException;
import org.apache.activemq.artemis.api.core.ActiveMQQueueExistsException;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and deletes the addresses, queues and address settings behind topics, subscriptions and
 * queues (see {@link ArtemisMessageBus} for the mapping). Every step is create-if-absent or
 * delete-if-present, so a re-run converges. Queries go through the caller's session; what the
 * session API cannot do (address settings, forced deletes) goes through management messages.
 */
final class ArtemisTopology {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisTopology.class);
  private static final String NO_AUTO_CREATE =
      "\"autoCreateAddresses\":false,\"autoCreateQueues\":false,"
          + "\"autoCreateDeadLetterResources\":false,\"autoDeleteAddresses\":false,"
          + "\"autoDeleteQueues\":false";

  private final ArtemisManagement management;

  ArtemisTopology(ArtemisManagement management) {
    this.management = management;
  }

  static boolean isTopic(ClientSession session, String name) throws Exception {
    ClientSession.AddressQuery query = session.addressQuery(SimpleString.of(name));
    return query.isExists() && query.isSupportsMulticast() && !query.isSupportsAnycast();
  }

  static boolean isQueue(ClientSession session, String name) throws Exception {
    ClientSession.QueueQuery query = session.queueQuery(SimpleString.of(name));
    return query.isExists()
        && query.getRoutingType() == RoutingType.ANYCAST
        && query.getAddress().toString().equals(name);
  }

  static boolean isSubscription(ClientSession session, String topic, String subscription)
      throws Exception {
    ClientSession.QueueQuery query =
        session.queueQuery(SimpleString.of(subscriptionQueue(topic, subscription)));
    return query.isExists() && query.getAddress().toString().equals(topic);
  }

  void createTopic(ClientSession session, String topic, EntityOptions options) throws Exception {
    ClientSession.AddressQuery address = session.addressQuery(SimpleString.of(topic));
    if (address.isExists() && address.isSupportsAnycast()) {
      throw conflict("topic '" + topic + "'", "a queue with that name exists");
    }
    configureDeadLetters(session, topic, options);
    createAddress(session, topic, RoutingType.MULTICAST);
  }

  void deleteTopic(ClientSession session, String topic) throws Exception {
    boolean present = session.addressQuery(SimpleString.of(topic)).isExists();
    if (present && !isTopic(session, topic)) {
      return; // a queue of that name is not ours to touch
    }
    // Forced, so the subscription queues bound to the topic go with it.
    deleteAddress(session, topic);
    deleteAddress(session, deadLetterAddress(topic));
    removeSettings(topic);
  }

  void createSubscription(
      ClientSession session, String topic, String subscription, @Nullable String filter)
      throws Exception {
    String queue = subscriptionQueue(topic, subscription);
    String what = "subscription '" + subscription + "' of topic '" + topic + "'";
    if (!isTopic(session, topic)) {
      throw new BusException("topic '" + topic + "' does not exist", false, null);
    }
    ClientSession.QueueQuery existing = session.queueQuery(SimpleString.of(queue));
    if (existing.isExists() && !sameFilter(existing.getFilterString(), filter)) {
      throw conflict(what, "it exists with filter " + existing.getFilterString());
    }
    // Dead letters first, so nothing the subscription rejects is ever dropped.
    createDeadLetterQueue(session, deadLetterAddress(topic), queue);
    createQueue(session, topic, queue, RoutingType.MULTICAST, filter);
  }

  void deleteSubscription(ClientSession session, String topic, String subscription)
      throws Exception {
    String queue = subscriptionQueue(topic, subscription);
    destroyQueue(session, queue);
    destroyQueue(session, deadLetterQueue(queue));
  }

  void createQueue(ClientSession session, String queue, EntityOptions options) throws Exception {
    ClientSession.AddressQuery address = session.addressQuery(SimpleString.of(queue));
    if (address.isExists() && !address.isSupportsAnycast()) {
      throw conflict("queue '" + queue + "'", "a topic with that name exists");
    }
    configureDeadLetters(session, queue, options);
    createDeadLetterQueue(session, deadLetterAddress(queue), queue);
    createAddress(session, queue, RoutingType.ANYCAST);
    createQueue(session, queue, queue, RoutingType.ANYCAST, null);
  }

  void deleteQueue(ClientSession session, String queue) throws Exception {
    boolean present = session.addressQuery(SimpleString.of(queue)).isExists();
    if (present && !isQueue(session, queue)) {
      return; // a topic of that name is not ours to touch
    }
    destroyQueue(session, queue);
    deleteAddress(session, queue);
    deleteAddress(session, deadLetterAddress(queue));
    removeSettings(queue);
  }

  /** Settings of an entity and of its dead-letter address; re-applied on every create. */
  private void configureDeadLetters(ClientSession session, String address, EntityOptions options)
      throws Exception {
    String deadLetters = deadLetterAddress(address);
    management.broker(
        "addAddressSettings",
        address,
        "{\"maxDeliveryAttempts\":%d,\"deadLetterAddress\":\"%s\",%s}"
            .formatted(options.maxDeliveryCount(), deadLetters, NO_AUTO_CREATE));
    // Dead letters stay until read and settled: no further move.
    management.broker(
        "addAddressSettings",
        deadLetters,
        "{\"maxDeliveryAttempts\":-1,%s}".formatted(NO_AUTO_CREATE));
    createAddress(session, deadLetters, RoutingType.MULTICAST);
  }

  private void removeSettings(String address) throws Exception {
    management.broker("removeAddressSettings", address);
    management.broker("removeAddressSettings", deadLetterAddress(address));
  }

  private static void createDeadLetterQueue(
      ClientSession session, String deadLetterAddress, String entityQueue) throws Exception {
    createQueue(
        session,
        deadLetterAddress,
        deadLetterQueue(entityQueue),
        RoutingType.MULTICAST,
        deadLetterFilter(entityQueue));
  }

  private static void createAddress(ClientSession session, String name, RoutingType type)
      throws Exception {
    if (session.addressQuery(SimpleString.of(name)).isExists()) {
      return;
    }
    try {
      session.createAddress(SimpleString.of(name), type, false);
    } catch (ActiveMQAddressExistsException raced) {
      LOG.debug("address created concurrently address={}", name);
    }
  }

  private static void createQueue(
      ClientSession session,
      String address,
      String queue,
      RoutingType type,
      @Nullable String filter)
      throws Exception {
    if (session.queueQuery(SimpleString.of(queue)).isExists()) {
      return;
    }
    QueueConfiguration config =
        QueueConfiguration.of(queue)
            .setAddress(address)
            .setRoutingType(type)
            .setDurable(true)
            .setAutoCreateAddress(false);
    if (filter != null) {
      config.setFilterString(filter);
    }
    try {
      session.createQueue(config);
    } catch (ActiveMQQueueExistsException raced) {
      LOG.debug("queue created concurrently queue={}", queue);
    }
  }

  private void destroyQueue(ClientSession session, String queue) throws Exception {
    if (session.queueQuery(SimpleString.of(queue)).isExists()) {
      // removeConsumers: a receiver must not keep a deleted subscription alive.
      management.broker("destroyQueue", queue, true, false);
    }
  }

  private void deleteAddress(ClientSession session, String address) throws Exception {
    if (session.addressQuery(SimpleString.of(address)).isExists()) {
      management.broker("deleteAddress", address, true);
    }
  }

  private static BusException conflict(String what, String reason) {
    return new BusException("cannot create " + what + ": " + reason, false, null);
  }

  private static boolean sameFilter(@Nullable SimpleString existing, @Nullable String wanted) {
    String current = existing == null ? null : existing.toString();
    if (current == null || current.isEmpty()) {
      return wanted == null;
    }
    return current.equals(wanted);
  }
}
