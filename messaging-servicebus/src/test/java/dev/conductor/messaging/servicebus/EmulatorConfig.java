package dev.conductor.messaging.servicebus;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Service Bus emulator's Config.json: the emulator takes its entities from this file, not from
 * the administration client. It declares a pool of fresh queues and topics that {@link
 * ServiceBusEmulatorTest#unique} hands out one per request, each topic with every subscription the
 * contract's topic tests use. Queues allow 3 deliveries and subscriptions 2, what the contract's
 * dead-letter tests ask for; duplicate detection is on, as on the entities the adapter creates.
 */
final class EmulatorConfig {
  static final String NAMESPACE = "sbemulatorns";

  /** Subscription name to correlation filter; an empty filter receives everything. */
  static final Map<String, Map<String, String>> SUBSCRIPTIONS = subscriptions();

  private EmulatorConfig() {}

  static String queue(int index) {
    return String.format("q-%02d", index);
  }

  static String topic(int index) {
    return String.format("t-%02d", index);
  }

  static String json(int queues, int topics) {
    JsonNodeFactory json = JsonNodeFactory.instance;
    ObjectNode namespace = json.objectNode().put("Name", NAMESPACE);
    ArrayNode queueList = namespace.putArray("Queues");
    for (int i = 1; i <= queues; i++) {
      ObjectNode queue = queueList.addObject().put("Name", queue(i));
      queue
          .putObject("Properties")
          .put("DeadLetteringOnMessageExpiration", false)
          .put("DefaultMessageTimeToLive", "PT1H")
          .put("DuplicateDetectionHistoryTimeWindow", "PT1M")
          .put("ForwardDeadLetteredMessagesTo", "")
          .put("ForwardTo", "")
          .put("LockDuration", "PT1M")
          .put("MaxDeliveryCount", 3)
          .put("RequiresDuplicateDetection", true)
          .put("RequiresSession", false);
    }
    ArrayNode topicList = namespace.putArray("Topics");
    for (int i = 1; i <= topics; i++) {
      ObjectNode topic = topicList.addObject().put("Name", topic(i));
      topic
          .putObject("Properties")
          .put("DefaultMessageTimeToLive", "PT1H")
          .put("DuplicateDetectionHistoryTimeWindow", "PT1M")
          .put("RequiresDuplicateDetection", true);
      ArrayNode subscriptions = topic.putArray("Subscriptions");
      SUBSCRIPTIONS.forEach(
          (name, filter) -> subscription(subscriptions.addObject(), name, filter));
    }
    ObjectNode root = json.objectNode();
    ObjectNode user = root.putObject("UserConfig");
    user.putArray("Namespaces").add(namespace);
    user.putObject("Logging").put("Type", "File");
    return root.toPrettyString();
  }

  private static void subscription(ObjectNode node, String name, Map<String, String> filter) {
    node.put("Name", name);
    node.putObject("Properties")
        .put("DeadLetteringOnMessageExpiration", false)
        .put("DefaultMessageTimeToLive", "PT1H")
        .put("LockDuration", "PT1M")
        .put("MaxDeliveryCount", 2)
        .put("ForwardDeadLetteredMessagesTo", "")
        .put("ForwardTo", "")
        .put("RequiresSession", false);
    ArrayNode rules = node.putArray("Rules");
    if (!filter.isEmpty()) {
      ObjectNode properties =
          rules
              .addObject()
              .put("Name", ServiceBusFilters.RULE_NAME)
              .putObject("Properties")
              .put("FilterType", "Correlation")
              .putObject("CorrelationFilter")
              .putObject("Properties");
      filter.forEach(properties::put);
    }
  }

  private static Map<String, Map<String, String>> subscriptions() {
    Map<String, Map<String, String>> subscriptions = new LinkedHashMap<>();
    for (String all :
        new String[] {"first", "second", "one", "two", "failing", "rejecting", "healthy"}) {
      subscriptions.put(all, Map.of());
    }
    subscriptions.put("worker-a", Map.of("workerId", "A"));
    subscriptions.put("worker-b", Map.of("workerId", "B"));
    subscriptions.put("quoted", Map.of("tenant", "o'brien", "type", "job' OR '1'='1"));
    return subscriptions;
  }
}
