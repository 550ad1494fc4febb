package dev.conductor.messaging;

import java.util.Map;

/** A message delivered in peek-lock mode; settle it exactly once. */
public interface ReceivedMessage {
  /** The property that gives a dead letter's reason. */
  String DEAD_LETTER_REASON = "deadLetterReason";

  /** The reason of a message dead-lettered by the broker after its last delivery. */
  String MAX_DELIVERY_REASON = "MaxDeliveryCountExceeded";

  String messageId();

  Map<String, String> properties();

  byte[] body();

  /** 1 on first delivery, incremented by every abandon or lost consumer. */
  int deliveryCount();

  void complete();

  /** Returns the message to its entity for redelivery. */
  void abandon();

  /** Moves the message to its entity's dead-letter queue with a reason. */
  void deadLetter(String reason);
}
