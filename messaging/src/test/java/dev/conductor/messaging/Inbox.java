package dev.conductor.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link MessageHandler} that records every delivery, then applies a behaviour (settle, throw,
 * block). Tests read deliveries with bounded waits instead of sleeping.
 */
public final class Inbox implements MessageHandler {
  public static final Duration PATIENCE = Duration.ofSeconds(10);

  /** One delivery as the handler saw it; {@code at} is taken before the behaviour runs. */
  public record Delivery(
      String messageId,
      Map<String, String> properties,
      byte[] body,
      int deliveryCount,
      Instant at) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final BlockingQueue<Delivery> deliveries = new LinkedBlockingQueue<>();
  private final MessageHandler behaviour;
  private final Duration patience;

  private Inbox(MessageHandler behaviour, Duration patience) {
    this.behaviour = behaviour;
    this.patience = patience;
  }

  /** Records and lets the bus complete each message. */
  public static Inbox recording() {
    return then(message -> {});
  }

  /** Records, then runs {@code behaviour} on the message. */
  public static Inbox then(MessageHandler behaviour) {
    return new Inbox(behaviour, PATIENCE);
  }

  /**
   * A new inbox with this one's behaviour whose {@link #next()} waits {@code patience}: for a bus
   * slower than most. Call it before handing the inbox to a receiver.
   */
  public Inbox withPatience(Duration patience) {
    return new Inbox(behaviour, patience);
  }

  @Override
  public void handle(ReceivedMessage message) throws Exception {
    deliveries.add(
        new Delivery(
            message.messageId(),
            message.properties(),
            message.body(),
            message.deliveryCount(),
            Instant.now()));
    behaviour.handle(message);
  }

  /**
   * The next delivery, failing the test if none arrives within this inbox's patience ({@link
   * #PATIENCE} unless set).
   */
  public Delivery next() {
    return next(patience);
  }

  /** The next delivery, failing the test if none arrives within {@code timeout}. */
  public Delivery next(Duration timeout) {
    return poll(timeout)
        .orElseThrow(() -> new AssertionError("no message arrived within " + timeout));
  }

  public Optional<Delivery> poll(Duration timeout) {
    try {
      return Optional.ofNullable(deliveries.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for a message", e);
    }
  }

  /** Deliveries recorded so far and not yet taken. */
  public List<Delivery> drain() {
    List<Delivery> taken = new ArrayList<>();
    deliveries.drainTo(taken);
    return taken;
  }
}
