package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.ReceivedMessage;
import jakarta.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.activemq.artemis.api.core.ActiveMQBuffer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * A message held by one receive slot's transacted session, acknowledged inside the open transaction
 * on receipt: complete commits, abandon rolls back (the broker counts the delivery and may move the
 * message to the dead-letter address), dead-letter sends a copy to the dead-letter address and
 * commits the copy and the ack together. Acking on receipt matters: Artemis takes an unacked
 * message that is rolled back or handed back for never delivered and does not count it.
 *
 * <p>A message of a batch ({@link ArtemisBatch}) only records how it is settled; the batch applies
 * every settlement together once its handler returned.
 */
final class ArtemisReceivedMessage implements ReceivedMessage {
  private final ClientSession session;
  private final ClientMessage message;
  private final String sourceQueue;
  private final @Nullable String deadLetterAddress;
  private final String messageId;
  private final Map<String, String> properties;
  private final byte[] body;
  private final boolean batched;
  private final boolean pipelined;
  private boolean settled;
  private @Nullable Settlement recorded;

  /** How a message of a batch was settled; a dead letter's reason with it. */
  record Settlement(Outcome outcome, String reason) {}

  enum Outcome {
    COMPLETE,
    ABANDON,
    DEAD_LETTER
  }

  ArtemisReceivedMessage(
      ClientSession session,
      ClientMessage message,
      String sourceQueue,
      @Nullable String deadLetterAddress) {
    this(session, message, sourceQueue, deadLetterAddress, false, false);
  }

  ArtemisReceivedMessage(
      ClientSession session,
      ClientMessage message,
      String sourceQueue,
      @Nullable String deadLetterAddress,
      boolean batched) {
    this(session, message, sourceQueue, deadLetterAddress, batched, false);
  }

  /** {@code pipelined}: complete sends its commit without waiting for the broker's answer. */
  ArtemisReceivedMessage(
      ClientSession session,
      ClientMessage message,
      String sourceQueue,
      @Nullable String deadLetterAddress,
      boolean batched,
      boolean pipelined) {
    this.batched = batched;
    this.pipelined = pipelined;
    this.session = session;
    this.message = message;
    this.sourceQueue = sourceQueue;
    this.deadLetterAddress = deadLetterAddress;
    this.properties = userProperties(message, deadLetterAddress == null);
    this.messageId = messageId(message);
    ActiveMQBuffer buffer = message.getBodyBuffer();
    this.body = new byte[buffer.readableBytes()];
    buffer.readBytes(body);
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
    return message.getDeliveryCount();
  }

  @Override
  public synchronized void complete() {
    settle("complete");
    if (batched) {
      recorded = new Settlement(Outcome.COMPLETE, "");
      return;
    }
    try {
      // Pipelined: the session's later calls queue behind this commit; lost, it is a redelivery.
      session.commit(!pipelined);
    } catch (ActiveMQException e) {
      throw lockLost("complete", e);
    }
  }

  @Override
  public synchronized void abandon() {
    settle("abandon");
    if (batched) {
      recorded = new Settlement(Outcome.ABANDON, "");
      return;
    }
    try {
      session.rollback();
    } catch (ActiveMQException e) {
      throw lockLost("abandon", e);
    }
  }

  @Override
  public synchronized void deadLetter(String reason) {
    if (deadLetterAddress == null) {
      throw new IllegalStateException(
          "message " + messageId + " is already a dead letter in " + sourceQueue);
    }
    settle("dead-letter");
    if (batched) {
      recorded = new Settlement(Outcome.DEAD_LETTER, reason == null ? "" : reason);
      return;
    }
    try {
      ClientProducer producer = session.createProducer();
      try {
        producer.send(SimpleString.of(deadLetterAddress), deadLetterCopy(reason));
      } finally {
        producer.close();
      }
      session.commit();
    } catch (ActiveMQException e) {
      rollbackQuietly();
      throw lockLost("dead-letter", e);
    }
  }

  synchronized boolean isSettled() {
    return settled;
  }

  /** A batched message's settlement; {@code otherwise} for one its handler left unsettled. */
  synchronized Settlement settlement(Outcome otherwise) {
    settled = true;
    return recorded != null ? recorded : new Settlement(otherwise, "");
  }

  ClientMessage message() {
    return message;
  }

  @Nullable
  String deadLetterAddress() {
    return deadLetterAddress;
  }

  private void settle(String action) {
    if (settled) {
      throw new IllegalStateException(
          "cannot " + action + " message " + messageId + ": it is already settled");
    }
    settled = true;
  }

  ClientMessage deadLetterCopy(String reason) {
    ClientMessage copy = session.createMessage(true);
    for (SimpleString name : message.getPropertyNames()) {
      copy.putObjectProperty(name, message.getObjectProperty(name));
    }
    // A copy must not be taken for a duplicate, nor be scheduled again, nor keep the routing type
    // of its queue (the dead-letter address is a topic).
    copy.removeProperty(Message.HDR_DUPLICATE_DETECTION_ID);
    copy.removeProperty(Message.HDR_SCHEDULED_DELIVERY_TIME);
    copy.removeProperty(Message.HDR_ROUTING_TYPE);
    copy.putStringProperty(Message.HDR_ORIGINAL_QUEUE, SimpleString.of(sourceQueue));
    copy.putStringProperty(Message.HDR_ORIGINAL_ADDRESS, message.getAddressSimpleString());
    copy.putStringProperty(ReceivedMessage.DEAD_LETTER_REASON, reason == null ? "" : reason);
    copy.getBodyBuffer().writeBytes(body);
    return copy;
  }

  private void rollbackQuietly() {
    try {
      session.rollback();
    } catch (ActiveMQException ignored) {
      // The session is gone; the broker returns the message on its own.
    }
  }

  private BusException lockLost(String action, ActiveMQException e) {
    return new BusException(
        "could not "
            + action
            + " message "
            + messageId
            + " from "
            + sourceQueue
            + "; it will be redelivered: "
            + e.getMessage(),
        true,
        e);
  }

  private static String messageId(ClientMessage message) {
    String id = message.getStringProperty(ArtemisNames.MESSAGE_ID);
    return id != null ? id : String.valueOf(message.getMessageID());
  }

  private static Map<String, String> userProperties(ClientMessage message, boolean deadLetter) {
    Map<String, String> result = new LinkedHashMap<>();
    for (SimpleString name : message.getPropertyNames()) {
      String key = name.toString();
      if (!key.startsWith("_") && message.getObjectProperty(name) instanceof SimpleString value) {
        result.put(key, value.toString());
      }
    }
    if (deadLetter && !result.containsKey(ReceivedMessage.DEAD_LETTER_REASON)) {
      // Only the broker moves a message here without a reason: it ran out of deliveries.
      result.put(ReceivedMessage.DEAD_LETTER_REASON, ReceivedMessage.MAX_DELIVERY_REASON);
    }
    return Map.copyOf(result);
  }
}
