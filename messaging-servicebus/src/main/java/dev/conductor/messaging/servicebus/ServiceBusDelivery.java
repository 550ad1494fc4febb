package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.ServiceBusReceivedMessage;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import com.azure.messaging.servicebus.models.DeadLetterOptions;
import dev.conductor.messaging.BusException;
import dev.conductor.messaging.ReceivedMessage;
import java.util.Map;

/**
 * A peek-locked message from a processor: complete, abandon (Service Bus counts the delivery and
 * dead-letters after the entity's {@code maxDeliveryCount}), dead-letter with a reason. The lock is
 * renewed by the processor while the handler runs. A settlement that fails (lock lost) is a
 * transient {@link BusException}: Service Bus delivers the message again.
 */
final class ServiceBusDelivery implements ReceivedMessage {
  private final ServiceBusReceivedMessageContext context;
  private final String source;
  private final boolean deadLetter;
  private final ServiceBusErrors errors;
  private final String messageId;
  private final Map<String, String> properties;
  private final byte[] body;
  private final int deliveryCount;
  private boolean settled;

  ServiceBusDelivery(
      ServiceBusReceivedMessageContext context,
      String source,
      boolean deadLetter,
      ServiceBusErrors errors) {
    this.context = context;
    this.source = source;
    this.deadLetter = deadLetter;
    this.errors = errors;
    ServiceBusReceivedMessage message = context.getMessage();
    this.messageId =
        message.getMessageId() != null
            ? message.getMessageId()
            : String.valueOf(message.getSequenceNumber());
    this.properties = ServiceBusMessages.properties(message, deadLetter);
    this.body = message.getBody().toBytes();
    // The Java SDK exposes the raw AMQP header, which counts prior deliveries from 0.
    this.deliveryCount = (int) message.getDeliveryCount() + 1;
  }

  @Override
  public String messageId() {
    return messageId;
  }

  @Override
  public Map<String, String> properties() {
    return properties;
  }

  @Override
  public byte[] body() {
    return body.clone();
  }

  @Override
  public int deliveryCount() {
    return deliveryCount;
  }

  @Override
  public void complete() {
    settle("complete");
    try {
      context.complete();
    } catch (RuntimeException e) {
      throw lockLost("complete", e);
    }
  }

  @Override
  public void abandon() {
    settle("abandon");
    try {
      context.abandon();
    } catch (RuntimeException e) {
      throw lockLost("abandon", e);
    }
  }

  @Override
  public void deadLetter(String reason) {
    if (deadLetter) {
      throw new IllegalStateException(
          "message " + messageId + " is already a dead letter in " + source);
    }
    settle("dead-letter");
    try {
      context.deadLetter(new DeadLetterOptions().setDeadLetterReason(reason == null ? "" : reason));
    } catch (RuntimeException e) {
      throw lockLost("dead-letter", e);
    }
  }

  synchronized boolean isSettled() {
    return settled;
  }

  /**
   * Abandons the message unless settled; true if this call did it. A closing receiver hands its
   * messages back this way, and the handler's own settlement afterwards is refused.
   */
  boolean handBack() {
    synchronized (this) {
      if (settled) {
        return false;
      }
      settled = true;
    }
    try {
      context.abandon();
    } catch (RuntimeException e) {
      // The lock is gone already; Service Bus delivers the message again when it expires.
    }
    return true;
  }

  private synchronized void settle(String action) {
    if (settled) {
      throw new IllegalStateException(
          "cannot " + action + " message " + messageId + ": it is already settled");
    }
    settled = true;
  }

  private BusException lockLost(String action, RuntimeException e) {
    BusException wrapped = errors.wrap(action + " message " + messageId + " from " + source, e);
    return new BusException(wrapped.getMessage() + "; it will be delivered again", true, null);
  }
}
