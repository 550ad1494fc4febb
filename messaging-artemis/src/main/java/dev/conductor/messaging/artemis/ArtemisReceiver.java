package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BatchHandler;
import dev.conductor.messaging.MessageHandler;
import dev.conductor.messaging.Receiver;
import dev.conductor.messaging.time.Backoff;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientConsumer;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One thread, transacted session and consumer per concurrency slot. Consumers have no prefetch
 * (window size 0), so a busy slot never holds messages that an idle slot could take. Handlers run
 * on the slot's own thread, never on an Artemis callback thread. A batch receiver has one slot that
 * takes, after the message it waited for, those the broker has at once (up to its batch size).
 */
final class ArtemisReceiver implements Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisReceiver.class);
  private static final Backoff RECONNECT =
      new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5));
  private static final Duration JOIN_TIMEOUT = Duration.ofSeconds(2);

  private final ClientSessionFactory factory;
  private final String user;
  private final String password;
  private final String queue;
  private final @Nullable String deadLetterAddress;
  private final BatchHandler handler;
  private final int maxBatch;
  private final boolean pipelinedCompletion;
  private final Consumer<ArtemisReceiver> onClose;
  private final List<Slot> slots = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  ArtemisReceiver(
      ClientSessionFactory factory,
      String user,
      String password,
      String queue,
      @Nullable String deadLetterAddress,
      BatchHandler handler,
      int maxBatch,
      Consumer<ArtemisReceiver> onClose) {
    this(factory, user, password, queue, deadLetterAddress, handler, maxBatch, false, onClose);
  }

  private ArtemisReceiver(
      ClientSessionFactory factory,
      String user,
      String password,
      String queue,
      @Nullable String deadLetterAddress,
      BatchHandler handler,
      int maxBatch,
      boolean pipelinedCompletion,
      Consumer<ArtemisReceiver> onClose) {
    this.pipelinedCompletion = pipelinedCompletion;
    this.factory = factory;
    this.user = user;
    this.password = password;
    this.queue = queue;
    this.deadLetterAddress = deadLetterAddress;
    this.handler = handler;
    this.maxBatch = maxBatch;
    this.onClose = onClose;
  }

  /**
   * A receiver handing each message to {@code handler} on its own; with {@code pipelinedCompletion}
   * a completion's commit is sent without waiting for the broker's answer.
   */
  static ArtemisReceiver single(
      ClientSessionFactory factory,
      String user,
      String password,
      String queue,
      @Nullable String deadLetterAddress,
      MessageHandler handler,
      boolean pipelinedCompletion,
      Consumer<ArtemisReceiver> onClose) {
    return new ArtemisReceiver(
        factory,
        user,
        password,
        queue,
        deadLetterAddress,
        batch -> handler.handle(batch.get(0)),
        1,
        pipelinedCompletion,
        onClose);
  }

  /** Opens every slot before starting any thread, so a missing queue fails the caller. */
  void start(int concurrency) throws ActiveMQException {
    try {
      for (int i = 0; i < concurrency; i++) {
        Slot slot = new Slot(i);
        slot.open();
        slots.add(slot);
      }
    } catch (ActiveMQException | RuntimeException e) {
      slots.forEach(Slot::closeSession);
      throw e;
    }
    slots.forEach(Slot::startThread);
    LOG.debug("receiver started queue={} concurrency={}", queue, concurrency);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    // Closing a session ends a blocked receive and hands its unsettled message back to the broker.
    slots.forEach(Slot::closeSession);
    long deadline = System.nanoTime() + JOIN_TIMEOUT.toNanos();
    for (Slot slot : slots) {
      slot.join(deadline);
    }
    onClose.accept(this);
    LOG.debug("receiver closed queue={}", queue);
  }

  private final class Slot implements Runnable {
    private final int index;
    private volatile @Nullable Connection connection;
    private volatile boolean handling;
    private volatile @Nullable Thread thread;

    Slot(int index) {
      this.index = index;
    }

    Connection open() throws ActiveMQException {
      ClientSession s = factory.createSession(user, password, false, false, false, false, 0);
      Connection opened;
      try {
        opened = new Connection(s, s.createConsumer(SimpleString.of(queue), null, 0, -1, false));
        s.start();
      } catch (ActiveMQException | RuntimeException e) {
        s.close();
        throw e;
      }
      connection = opened;
      if (closed) {
        closeSession();
      }
      return opened;
    }

    void startThread() {
      Thread t = new Thread(this, "bus-receive-" + queue + "-" + index);
      thread = t;
      t.start();
    }

    @Override
    public void run() {
      int failures = 0;
      while (!closed) {
        try {
          Connection current = connection;
          if (current == null || current.consumer().isClosed()) {
            closeSession();
            current = open();
          }
          ClientMessage message = current.consumer().receive();
          if (failures > 0) {
            LOG.info("receiving again queue={} slot={}", queue, index);
          }
          failures = 0;
          if (message != null && !closed) {
            if (maxBatch == 1) {
              deliver(current.session(), message);
            } else {
              deliverBatch(current, message);
            }
          }
        } catch (ActiveMQException | RuntimeException e) {
          if (closed) {
            break;
          }
          // Warn once per outage; a deleted subscription would otherwise log every 5 s.
          if (failures++ == 0) {
            LOG.warn("receive failed, retrying queue={} slot={}", queue, index, e);
          } else {
            LOG.debug("receive failed again queue={} slot={} error={}", queue, index, e.toString());
          }
          closeSession();
          connection = null;
          if (!sleep(RECONNECT.after(failures).toMillis())) {
            break;
          }
        }
      }
    }

    private void deliver(ClientSession session, ClientMessage message) throws ActiveMQException {
      message.acknowledge();
      ArtemisReceivedMessage received =
          new ArtemisReceivedMessage(
              session, message, queue, deadLetterAddress, false, pipelinedCompletion);
      waitUntilDue(message);
      handling = true;
      try {
        handler.handle(List.of(received));
      } catch (Throwable failure) {
        if (failure instanceof VirtualMachineError error) {
          throw error;
        }
        abandonAfterFailure(received, failure);
        return;
      } finally {
        handling = false;
      }
      if (!received.isSettled()) {
        completeAfterReturn(received);
      }
    }

    /** Takes what else the broker has now, hands it all over, then settles it in one go. */
    private void deliverBatch(Connection current, ClientMessage first) throws ActiveMQException {
      List<ClientMessage> taken = new ArrayList<>();
      taken.add(first);
      ClientMessage next;
      while (taken.size() < maxBatch
          && !closed
          && (next = current.consumer().receiveImmediate()) != null) {
        taken.add(next);
      }
      List<ArtemisReceivedMessage> received = new ArrayList<>(taken.size());
      for (ClientMessage message : taken) {
        received.add(
            new ArtemisReceivedMessage(current.session(), message, queue, deadLetterAddress, true));
        waitUntilDue(message);
      }
      ArtemisBatch batch = new ArtemisBatch(current.session(), received, queue);
      boolean failed = false;
      handling = true;
      try {
        handler.handle(batch.messages());
      } catch (Throwable failure) {
        if (failure instanceof VirtualMachineError error) {
          throw error;
        }
        failed = true;
        if (!closed) {
          LOG.warn(
              "handler failed queue={} messages={} error={}",
              queue,
              taken.size(),
              failure.toString());
        }
      } finally {
        handling = false;
      }
      if (closed) {
        LOG.debug("batch handler ended after close queue={} messages={}", queue, taken.size());
        return;
      }
      try {
        batch.settle(failed);
      } catch (RuntimeException e) {
        LOG.warn("settling a batch failed, its messages will be redelivered queue={}", queue, e);
      }
    }

    private void completeAfterReturn(ArtemisReceivedMessage received) {
      try {
        received.complete();
      } catch (RuntimeException e) {
        if (closed) {
          LOG.debug(
              "handler returned after close queue={} messageId={}", queue, received.messageId());
        } else {
          LOG.warn(
              "complete failed, message will be redelivered queue={} messageId={}",
              queue,
              received.messageId(),
              e);
        }
      }
    }

    private void abandonAfterFailure(ArtemisReceivedMessage received, Throwable failure) {
      if (closed) {
        LOG.debug("handler ended after close queue={} messageId={}", queue, received.messageId());
        return;
      }
      LOG.warn(
          "handler failed queue={} messageId={} deliveryCount={} error={}",
          queue,
          received.messageId(),
          received.deliveryCount(),
          failure.toString());
      if (!received.isSettled()) {
        try {
          received.abandon();
        } catch (RuntimeException e) {
          LOG.debug("abandon failed queue={} messageId={}", queue, received.messageId(), e);
        }
      }
    }

    void closeSession() {
      Connection c = connection;
      if (c != null) {
        try {
          c.session().close();
        } catch (ActiveMQException e) {
          LOG.debug("closing a receive session failed queue={}", queue, e);
        }
      }
    }

    /** Waits for an idle slot's thread to end; a running handler is left to finish on its own. */
    void join(long deadlineNanos) {
      Thread t = thread;
      if (t == null || handling || Thread.currentThread() == t) {
        return;
      }
      long remainingMillis = (deadlineNanos - System.nanoTime()) / 1_000_000;
      try {
        if (remainingMillis > 0) {
          t.join(remainingMillis);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** A slot's transacted session and the consumer on it, opened and closed together. */
  private record Connection(ClientSession session, ClientConsumer consumer) {}

  /**
   * The broker releases a scheduled message when its timer fires; a timer can run a millisecond
   * ahead of the wall clock, and "never early" is part of the contract.
   */
  private static void waitUntilDue(ClientMessage message) {
    if (!(message.getObjectProperty(Message.HDR_SCHEDULED_DELIVERY_TIME) instanceof Long due)) {
      return;
    }
    long waitMillis;
    while ((waitMillis = due - System.currentTimeMillis()) > 0 && waitMillis <= 1_000) {
      if (!sleep(waitMillis)) {
        return;
      }
    }
  }

  private static boolean sleep(long millis) {
    try {
      Thread.sleep(millis);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
