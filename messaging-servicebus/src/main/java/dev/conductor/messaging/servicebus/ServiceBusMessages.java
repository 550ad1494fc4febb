package dev.conductor.messaging.servicebus;

import com.azure.core.util.BinaryData;
import com.azure.messaging.servicebus.ServiceBusMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import dev.conductor.messaging.OutgoingMessage;
import dev.conductor.messaging.ReceivedMessage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Port messages to and from Service Bus messages. The message id is the Service Bus {@code
 * MessageId} (duplicate detection keys on it); properties, routing fields and {@code traceparent}
 * included, are string application properties, which correlation filters match.
 */
final class ServiceBusMessages {
  static final int MAX_MESSAGE_ID = 128;

  /** Set by Service Bus on dead letters; shown as {@code deadLetterReason} instead. */
  private static final Set<String> BROKER_PROPERTIES =
      Set.of("DeadLetterReason", "DeadLetterErrorDescription");

  private ServiceBusMessages() {}

  static ServiceBusMessage toServiceBus(OutgoingMessage message) {
    if (message.messageId().length() > MAX_MESSAGE_ID) {
      throw new IllegalArgumentException(
          "message id '" + message.messageId() + "' is longer than " + MAX_MESSAGE_ID);
    }
    ServiceBusMessage out = new ServiceBusMessage(BinaryData.fromBytes(message.body()));
    out.setMessageId(message.messageId());
    message
        .properties()
        .forEach(
            (name, value) -> {
              if (name.isBlank()
                  || name.startsWith("_")
                  || name.equals(ReceivedMessage.DEAD_LETTER_REASON)
                  || BROKER_PROPERTIES.contains(name)) {
                throw new IllegalArgumentException(
                    "message property '"
                        + name
                        + "' is reserved (blank, leading '_', deadLetterReason or"
                        + " DeadLetterReason/DeadLetterErrorDescription)");
              }
              out.getApplicationProperties().put(name, value);
            });
    return out;
  }

  /** The string application properties; dead letters also carry {@code deadLetterReason}. */
  static Map<String, String> properties(ServiceBusReceivedMessage message, boolean deadLetter) {
    Map<String, String> result = new LinkedHashMap<>();
    message
        .getApplicationProperties()
        .forEach(
            (name, value) -> {
              if (value instanceof String text
                  && !name.startsWith("_")
                  && !BROKER_PROPERTIES.contains(name)) {
                result.put(name, text);
              }
            });
    if (deadLetter) {
      String reason = message.getDeadLetterReason();
      result.put(
          ReceivedMessage.DEAD_LETTER_REASON,
          reason == null ? ReceivedMessage.MAX_DELIVERY_REASON : reason);
    }
    return Map.copyOf(result);
  }
}
