package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusException;
import dev.conductor.messaging.ReceivedMessage;
import dev.conductor.messaging.artemis.ArtemisReceivedMessage.Outcome;
import dev.conductor.messaging.artemis.ArtemisReceivedMessage.Settlement;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;

/**
 * Messages one receive slot took at once on its transacted session, unacknowledged until settled.
 * Their settlements are applied together: the completed and dead-lettered ones (with the dead
 * letters' copies) acknowledged in one commit, then the abandoned ones acknowledged and rolled
 * back, so that the broker counts their delivery and redelivers them alone.
 */
final class ArtemisBatch {
  private final ClientSession session;
  private final List<ArtemisReceivedMessage> messages;
  private final String sourceQueue;

  ArtemisBatch(ClientSession session, List<ArtemisReceivedMessage> messages, String sourceQueue) {
    this.session = session;
    this.messages = List.copyOf(messages);
    this.sourceQueue = sourceQueue;
  }

  List<ReceivedMessage> messages() {
    return List.copyOf(messages);
  }

  /** Applies the settlements; messages left unsettled are completed, or abandoned if it failed. */
  void settle(boolean handlerFailed) {
    Outcome otherwise = handlerFailed ? Outcome.ABANDON : Outcome.COMPLETE;
    List<Settled> kept = new ArrayList<>();
    List<ArtemisReceivedMessage> abandoned = new ArrayList<>();
    for (ArtemisReceivedMessage message : messages) {
      Settlement settlement = message.settlement(otherwise);
      if (settlement.outcome() == Outcome.ABANDON) {
        abandoned.add(message);
      } else {
        kept.add(new Settled(message, settlement));
      }
    }
    try {
      if (!kept.isEmpty()) {
        commit(kept);
      }
      if (!abandoned.isEmpty()) {
        for (ArtemisReceivedMessage message : abandoned) {
          message.message().individualAcknowledge();
        }
        session.rollback();
      }
    } catch (ActiveMQException e) {
      rollbackQuietly();
      throw new BusException(
          "could not settle "
              + messages.size()
              + " messages from "
              + sourceQueue
              + "; they will be redelivered: "
              + e.getMessage(),
          true,
          e);
    }
  }

  private record Settled(ArtemisReceivedMessage message, Settlement settlement) {}

  private void commit(List<Settled> kept) throws ActiveMQException {
    ClientProducer producer = null;
    try {
      for (Settled settled : kept) {
        ArtemisReceivedMessage message = settled.message();
        String deadLetterAddress = message.deadLetterAddress();
        if (settled.settlement().outcome() == Outcome.DEAD_LETTER && deadLetterAddress != null) {
          if (producer == null) {
            producer = session.createProducer();
          }
          producer.send(
              SimpleString.of(deadLetterAddress),
              message.deadLetterCopy(settled.settlement().reason()));
        }
        message.message().individualAcknowledge();
      }
    } finally {
      if (producer != null) {
        producer.close();
      }
    }
    session.commit();
  }

  private void rollbackQuietly() {
    try {
      session.rollback();
    } catch (ActiveMQException ignored) {
      // The session is gone; the broker returns the messages on its own.
    }
  }
}
