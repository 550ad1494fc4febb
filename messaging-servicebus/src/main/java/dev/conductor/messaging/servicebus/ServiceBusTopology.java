package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import com.azure.messaging.servicebus.ServiceBusReceiverClient;
import com.azure.messaging.servicebus.ServiceBusSenderClient;
import com.azure.messaging.servicebus.administration.ServiceBusAdministrationClient;
import com.azure.messaging.servicebus.administration.models.CreateQueueOptions;
import com.azure.messaging.servicebus.administration.models.CreateSubscriptionOptions;
import com.azure.messaging.servicebus.administration.models.CreateTopicOptions;
import com.azure.messaging.servicebus.administration.models.TopicProperties;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.EntityOptions;
import java.time.Duration;

/**
 * Entities on Service Bus through the administration client (the conductor's key needs Manage on
 * the namespace). Every queue and topic it creates requires duplicate detection, so a re-sent
 * {@code jobId:attempt} is dropped by the broker. Subscriptions get one correlation rule in place
 * of {@code $Default}, the topic's {@code maxDeliveryCount} (kept in the topic's user metadata,
 * since Service Bus has no such setting on topics) and auto-delete-on-idle.
 *
 * <p>Without administration (the emulator, whose entities come from its Config.json) create only
 * checks that the entity exists, delete is refused, and existence is probed over AMQP: a peek for
 * queues and subscriptions, opening a send link for topics.
 */
final class ServiceBusTopology {
  static final Duration DUPLICATE_DETECTION_WINDOW = Duration.ofMinutes(10);
  private static final String MAX_DELIVERY_METADATA = "maxDeliveryCount=";

  private final ServiceBusAdministrationClient admin;
  private final ServiceBusClientBuilder messaging;
  private final ServiceBusSettings settings;
  private final TopicShards shards;

  ServiceBusTopology(
      ServiceBusAdministrationClient admin,
      ServiceBusClientBuilder messaging,
      ServiceBusSettings settings,
      TopicShards shards) {
    this.admin = admin;
    this.messaging = messaging;
    this.settings = settings;
    this.shards = shards;
  }

  // --- topics -----------------------------------------------------------------------------------

  void createTopic(String topic, EntityOptions options) {
    for (String physical : shards.topics(topic)) {
      if (!settings.administration()) {
        requireDeclared("topic", physical, topicProbe(physical));
        continue;
      }
      try {
        admin.createTopic(
            physical,
            new CreateTopicOptions()
                .setDuplicateDetectionRequired(true)
                .setDuplicateDetectionHistoryTimeWindow(DUPLICATE_DETECTION_WINDOW)
                .setUserMetadata(MAX_DELIVERY_METADATA + options.maxDeliveryCount()));
      } catch (RuntimeException e) {
        if (!ServiceBusErrors.isAlreadyExists(e)) {
          throw e;
        }
        if (!admin.getTopicExists(physical)) {
          throw new BusException("'" + physical + "' exists and is not a topic", false, null);
        }
      }
    }
  }

  void deleteTopic(String topic) {
    requireAdministration("delete topic '" + topic + "'");
    for (String physical : shards.topics(topic)) {
      // A queue of that name is left alone: the REST delete would take whatever entity it names.
      if (admin.getTopicExists(physical)) {
        ignoreNotFound(() -> admin.deleteTopic(physical));
      }
    }
  }

  boolean topicExists(String topic) {
    for (String physical : shards.topics(topic)) {
      boolean exists =
          settings.administration() ? admin.getTopicExists(physical) : topicProbe(physical);
      if (!exists) {
        return false;
      }
    }
    return true;
  }

  // --- subscriptions ----------------------------------------------------------------------------

  void createSubscription(String topic, String subscription, CorrelationFilter filter) {
    shards.checkSubscription(subscription, filter);
    String physicalTopic = shards.topicOf(topic, subscription);
    String name = ServiceBusNames.subscription(subscription);
    if (!settings.administration()) {
      requireDeclared(
          "subscription '" + name + "' of topic",
          physicalTopic,
          subscriptionProbe(physicalTopic, name));
      return;
    }
    TopicProperties properties;
    try {
      properties = admin.getTopic(physicalTopic);
    } catch (RuntimeException e) {
      if (ServiceBusErrors.isNotFound(e)) {
        throw new BusException("topic '" + topic + "' does not exist", false, null);
      }
      throw e;
    }
    CreateSubscriptionOptions options =
        new CreateSubscriptionOptions()
            .setMaxDeliveryCount(maxDeliveryCount(properties))
            .setLockDuration(settings.lockDuration())
            .setAutoDeleteOnIdle(settings.autoDeleteOnIdle());
    try {
      admin.createSubscription(
          physicalTopic,
          name,
          ServiceBusFilters.RULE_NAME,
          options,
          ServiceBusFilters.rule(filter));
    } catch (RuntimeException e) {
      if (!ServiceBusErrors.isAlreadyExists(e)) {
        throw e;
      }
    }
  }

  void deleteSubscription(String topic, String subscription) {
    requireAdministration("delete subscription '" + subscription + "'");
    String physicalTopic = shards.topicOf(topic, subscription);
    ignoreNotFound(
        () -> admin.deleteSubscription(physicalTopic, ServiceBusNames.subscription(subscription)));
  }

  /** Workers may not use the administration API: they probe their subscription over AMQP. */
  boolean subscriptionExists(String topic, String subscription) {
    String physicalTopic = shards.topicOf(topic, subscription);
    String name = ServiceBusNames.subscription(subscription);
    if (settings.administration()) {
      try {
        return admin.getSubscriptionExists(physicalTopic, name);
      } catch (RuntimeException e) {
        if (!ServiceBusErrors.isAccessDenied(e)) {
          throw e;
        }
      }
    }
    return subscriptionProbe(physicalTopic, name);
  }

  // --- queues -----------------------------------------------------------------------------------

  void createQueue(String queue, EntityOptions options) {
    String physical = ServiceBusNames.entity(queue);
    if (!settings.administration()) {
      requireDeclared("queue", physical, queueProbe(physical));
      return;
    }
    try {
      admin.createQueue(
          physical,
          new CreateQueueOptions()
              .setMaxDeliveryCount(options.maxDeliveryCount())
              .setLockDuration(settings.lockDuration())
              .setDuplicateDetectionRequired(true)
              .setDuplicateDetectionHistoryTimeWindow(DUPLICATE_DETECTION_WINDOW));
    } catch (RuntimeException e) {
      if (!ServiceBusErrors.isAlreadyExists(e)) {
        throw e;
      }
      if (!admin.getQueueExists(physical)) {
        throw new BusException("'" + physical + "' exists and is not a queue", false, null);
      }
    }
  }

  void deleteQueue(String queue) {
    requireAdministration("delete queue '" + queue + "'");
    String physical = ServiceBusNames.entity(queue);
    if (admin.getQueueExists(physical)) {
      ignoreNotFound(() -> admin.deleteQueue(physical));
    }
  }

  boolean queueExists(String queue) {
    String physical = ServiceBusNames.entity(queue);
    return settings.administration() ? admin.getQueueExists(physical) : queueProbe(physical);
  }

  // --- helpers ----------------------------------------------------------------------------------

  /** The topic's maxDeliveryCount as {@link #createTopic} recorded it; Service Bus's 10 if not. */
  static int maxDeliveryCount(TopicProperties topic) {
    String metadata = topic.getUserMetadata();
    if (metadata != null && metadata.startsWith(MAX_DELIVERY_METADATA)) {
      try {
        return Integer.parseInt(metadata.substring(MAX_DELIVERY_METADATA.length()).strip());
      } catch (NumberFormatException e) {
        // Someone else's metadata: use the default.
      }
    }
    return EntityOptions.DEFAULTS.maxDeliveryCount();
  }

  private void requireAdministration(String action) {
    if (!settings.administration()) {
      throw new BusException(
          "cannot " + action + ": this bus does not administer entities (they are declared)",
          false,
          null);
    }
  }

  private static void requireDeclared(String kind, String name, boolean exists) {
    if (!exists) {
      throw new BusException(
          kind
              + " '"
              + name
              + "' does not exist and this bus does not create entities: declare it (for the"
              + " emulator in its Config.json)",
          false,
          null);
    }
  }

  private boolean queueProbe(String queue) {
    return peekProbe(messaging.receiver().queueName(queue));
  }

  private boolean subscriptionProbe(String physicalTopic, String subscription) {
    return peekProbe(messaging.receiver().topicName(physicalTopic).subscriptionName(subscription));
  }

  /** Whether the entity a receiver builder names exists: a peek, which settles nothing. */
  static boolean peekProbe(ServiceBusClientBuilder.ServiceBusReceiverClientBuilder receiver) {
    try (ServiceBusReceiverClient client = receiver.buildClient()) {
      client.peekMessage();
      return true;
    } catch (RuntimeException e) {
      if (ServiceBusErrors.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  /** Opening a send link is the one AMQP operation on a topic that has no side effect. */
  private boolean topicProbe(String topic) {
    try (ServiceBusSenderClient sender = messaging.sender().topicName(topic).buildClient()) {
      sender.createMessageBatch();
      return true;
    } catch (RuntimeException e) {
      if (ServiceBusErrors.isNotFound(e)) {
        return false;
      }
      throw e;
    }
  }

  private static void ignoreNotFound(Runnable delete) {
    try {
      delete.run();
    } catch (RuntimeException e) {
      if (!ServiceBusErrors.isNotFound(e)) {
        throw e;
      }
    }
  }
}
