package dev.conductor.messaging.artemis;

import dev.conductor.messaging.CorrelationFilter;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.Source;
import jakarta.annotation.Nullable;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * How bus entities map to Artemis addresses and queues. Entity names may not contain {@code ~} or
 * {@code $}, so the generated names below can never collide with an entity's own name.
 */
final class ArtemisNames {
  static final String SUBSCRIPTION_SEPARATOR = "~";
  static final String DEAD_LETTER_SUFFIX = "~$dlq";

  // Adapter-owned message properties; the leading underscore keeps them out of user properties.
  static final String MESSAGE_ID = "_conductor_messageId";
  static final String SCHEDULE_TOKEN = "_conductor_scheduleToken";

  private static final Pattern ENTITY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,127}");
  private static final Set<String> SELECTOR_KEYWORDS =
      Set.of("AND", "OR", "NOT", "BETWEEN", "LIKE", "IN", "IS", "NULL", "TRUE", "FALSE", "ESCAPE");

  private ArtemisNames() {}

  /** Validates a topic, queue or subscription name. */
  static String entity(String kind, String name) {
    if (name == null || !ENTITY.matcher(name).matches()) {
      throw new IllegalArgumentException(
          kind
              + " name '"
              + name
              + "' is invalid: use 1-200 letters, digits, '.', '_' or '-', starting with a letter"
              + " or digit");
    }
    if (name.toLowerCase(Locale.ROOT).startsWith("activemq.")) {
      throw new IllegalArgumentException(kind + " name '" + name + "' uses the reserved activemq.");
    }
    return name;
  }

  static String subscriptionQueue(String topic, String subscription) {
    return entity("topic", topic) + SUBSCRIPTION_SEPARATOR + entity("subscription", subscription);
  }

  /** The address an entity's broker-moved and explicit dead letters are sent to. */
  static String deadLetterAddress(String entityAddress) {
    return entityAddress + DEAD_LETTER_SUFFIX;
  }

  /** The queue holding one queue's or one subscription's dead letters. */
  static String deadLetterQueue(String entityQueue) {
    return entityQueue + DEAD_LETTER_SUFFIX;
  }

  /** Selects, on the shared dead-letter address, the messages that came from one entity queue. */
  static String deadLetterFilter(String entityQueue) {
    return "_AMQ_ORIG_QUEUE = " + literal(entityQueue);
  }

  /** The Artemis queue a receiver consumes for a source. */
  static String queueOf(Source source) {
    if (source instanceof Source.Queue q) {
      return entity("queue", q.name());
    }
    if (source instanceof Source.Subscription s) {
      return subscriptionQueue(s.topic(), s.name());
    }
    return deadLetterQueue(queueOf(((Source.DeadLetters) source).entity()));
  }

  /** The address a source's dead letters go to, or null when the source is itself dead letters. */
  static @Nullable String deadLetterAddressOf(Source source) {
    if (source instanceof Source.Queue q) {
      return deadLetterAddress(q.name());
    }
    if (source instanceof Source.Subscription s) {
      return deadLetterAddress(s.topic());
    }
    return null;
  }

  /**
   * The Artemis filter for a correlation filter: {@code a = 'x' AND b = 'y'} in key order, or null
   * for match-all. Keys must be plain identifiers, values are quoted with {@code '} doubled.
   */
  static @Nullable String filter(CorrelationFilter filter) {
    if (filter.properties().isEmpty()) {
      return null;
    }
    return new TreeMap<>(filter.properties())
        .entrySet().stream()
            .map(e -> filterProperty(e.getKey()) + " = " + literal(e.getValue()))
            .collect(Collectors.joining(" AND "));
  }

  static String filterProperty(String name) {
    if (name == null
        || !IDENTIFIER.matcher(name).matches()
        || SELECTOR_KEYWORDS.contains(name.toUpperCase(Locale.ROOT))
        || name.startsWith("AMQ")
        || name.startsWith("JMS")) {
      throw new IllegalArgumentException(
          "filter property '"
              + name
              + "' is invalid: use an identifier (a letter, then letters, digits or '_') that is"
              + " not a selector keyword and does not start with AMQ or JMS");
    }
    return name;
  }

  /** Rejects property names the adapter or the broker own. */
  static void checkOutgoingProperties(Map<String, String> properties) {
    for (String name : properties.keySet()) {
      if (name.isBlank()
          || name.startsWith("_")
          || name.equals(ReceivedMessage.DEAD_LETTER_REASON)) {
        throw new IllegalArgumentException(
            "message property '" + name + "' is reserved (blank, leading '_' or deadLetterReason)");
      }
    }
  }

  static String literal(String value) {
    return "'" + value.replace("'", "''") + "'";
  }
}
