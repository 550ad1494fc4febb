package dev.conductor.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conductor.messaging.Inbox.Delivery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link MessageBus} adapter must do. A subclass supplies {@link #connect()}; each test
 * uses its own entity names, so tests never see each other's messages. Asynchronous outcomes are
 * awaited with bounded waits ({@link #patience()}); "never delivered" is shown by a later message
 * that would have queued behind it.
 */
public abstract class MessageBusContract {
  /** How long a test watches for a message that must not arrive. */
  protected static final Duration QUIET = Duration.ofMillis(500);

  /**
   * How far ahead the cancel tests schedule: their cancel must land before the message is due. A
   * machine that stalls longer skips the test rather than failing it.
   */
  private static final Duration CANCEL_LEAD = Duration.ofSeconds(5);

  /**
   * How long the cancel tests wait for the message they kept, due half a second after CANCEL_LEAD:
   * generous, as it costs time only on failure.
   */
  private static final Duration KEPT_PATIENCE = Duration.ofSeconds(30);

  protected MessageBus bus;
  private final List<AutoCloseable> cleanup = new ArrayList<>();

  /** A new connection to the bus under test; the contract closes it. */
  protected abstract MessageBus connect();

  @BeforeEach
  void openBus() {
    bus = track(connect());
  }

  @AfterEach
  void closeAll() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
    cleanup.clear();
  }

  protected <T extends AutoCloseable> T track(T closeable) {
    cleanup.add(closeable);
    return closeable;
  }

  /**
   * A connection as a principal granted by {@link MessageBus#grantWorkerAccess}; adapters whose
   * capabilities include scoped credentials override this. The contract closes it.
   */
  protected MessageBus connect(BusCredentials credentials) {
    throw new UnsupportedOperationException(
        getClass().getSimpleName() + " must override connect(BusCredentials)");
  }

  /**
   * A name no other test uses: letters, digits and '-' only, valid on every adapter. The contract
   * asks for queues with prefix "q" and topics with "t"; an adapter without {@link
   * BusCapabilities#administration()} overrides this to hand out fresh entities it declared.
   */
  protected String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 13);
  }

  /** Skips the calling test unless the adapter has the capability. */
  protected void assumeCapability(boolean capability, String lacking) {
    Assumptions.assumeTrue(capability, bus.getClass().getSimpleName() + " " + lacking);
  }

  private void assumeAdministration() {
    assumeCapability(
        bus.capabilities().administration(), "cannot create or delete entities at run time");
  }

  /**
   * How long a test waits for a message that must arrive, or for a handler to have run; {@link
   * Inbox#PATIENCE} unless an adapter's bus is slower. Waiting longer costs time only on failure.
   */
  protected Duration patience() {
    return Inbox.PATIENCE;
  }

  /** {@link Inbox#recording()} with this bus's {@link #patience()}. */
  protected Inbox recording() {
    return Inbox.recording().withPatience(patience());
  }

  /** {@link Inbox#then} with this bus's {@link #patience()}. */
  protected Inbox then(MessageHandler behaviour) {
    return Inbox.then(behaviour).withPatience(patience());
  }

  protected Receiver receive(Source source, Inbox inbox) {
    return track(bus.receive(source, ReceiveOptions.ONE_AT_A_TIME, inbox));
  }

  protected static OutgoingMessage message(String id, Map<String, String> properties, String body) {
    return new OutgoingMessage(id, properties, body.getBytes(StandardCharsets.UTF_8));
  }

  protected static OutgoingMessage message(String id) {
    return message(id, Map.of(), id);
  }

  private String newQueue(EntityOptions options) {
    String queue = unique("q");
    bus.createQueue(queue, options);
    return queue;
  }

  private String newQueue() {
    return newQueue(EntityOptions.DEFAULTS);
  }

  // --- delivery ---------------------------------------------------------------------------------

  @Test
  void queueDeliversBodyPropertiesAndIdOnce() {
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);

    bus.send(queue, message("m-1", Map.of("type", "job", "tenant", "acme"), "hello"));

    Delivery delivery = inbox.next();
    assertThat(delivery.messageId()).isEqualTo("m-1");
    assertThat(delivery.properties()).isEqualTo(Map.of("type", "job", "tenant", "acme"));
    assertThat(delivery.text()).isEqualTo("hello");
    assertThat(delivery.deliveryCount()).isEqualTo(1);
    bus.send(queue, message("m-2"));
    assertThat(inbox.next().messageId()).isEqualTo("m-2");
  }

  @Test
  void bodyOfSeveralHundredKilobytesRoundTrips() {
    assumeCapability(bus.capabilities().largeMessages(), "cannot carry bodies above 256 KB");
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);
    byte[] body = new byte[300 * 1024];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }

    bus.send(queue, new OutgoingMessage("big", Map.of(), body));

    assertThat(inbox.next().body()).isEqualTo(body);
  }

  @Test
  void topicFansOutToEveryUnfilteredSubscription() {
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "first", CorrelationFilter.ALL);
    bus.createSubscription(topic, "second", CorrelationFilter.ALL);
    Inbox first = recording();
    Inbox second = recording();
    receive(Source.subscription(topic, "first"), first);
    receive(Source.subscription(topic, "second"), second);

    bus.send(topic, message("fan-out", Map.of("type", "job"), "body"));

    assertThat(first.next().messageId()).isEqualTo("fan-out");
    assertThat(second.next().messageId()).isEqualTo("fan-out");
  }

  @Test
  void filteredSubscriptionReceivesOnlyItsOwnMessages() {
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "worker-a", CorrelationFilter.of("workerId", "A"));
    bus.createSubscription(topic, "worker-b", CorrelationFilter.of("workerId", "B"));
    Inbox a = recording();
    Inbox b = recording();
    receive(Source.subscription(topic, "worker-a"), a);
    receive(Source.subscription(topic, "worker-b"), b);

    bus.send(topic, message("for-a", Map.of("workerId", "A"), "a"));
    bus.send(topic, message("for-b", Map.of("workerId", "B"), "b"));

    assertThat(a.next().messageId()).isEqualTo("for-a");
    // Had "for-a" been routed to B as well, it would have arrived before "for-b".
    assertThat(b.next().messageId()).isEqualTo("for-b");
    assertThat(a.poll(QUIET)).isEmpty();
    assertThat(b.poll(QUIET)).isEmpty();
  }

  @Test
  void filterMatchesEveryPropertyAndQuotedValues() {
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    CorrelationFilter filter =
        new CorrelationFilter(Map.of("tenant", "o'brien", "type", "job' OR '1'='1"));
    bus.createSubscription(topic, "quoted", filter);
    Inbox inbox = recording();
    receive(Source.subscription(topic, "quoted"), inbox);

    bus.send(topic, message("tenant-only", Map.of("tenant", "o'brien", "type", "job"), "x"));
    bus.send(topic, message("both", Map.of("tenant", "o'brien", "type", "job' OR '1'='1"), "x"));

    assertThat(inbox.next().messageId()).isEqualTo("both");
    assertThat(inbox.poll(QUIET)).isEmpty();
  }

  @Test
  void sameMessageIdSentTwiceIsDeliveredOnce() {
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);

    bus.send(queue, message("job-1:1", Map.of(), "first"));
    bus.send(queue, message("job-1:1", Map.of(), "second"));
    bus.send(queue, message("job-1:2", Map.of(), "retry"));

    Delivery first = inbox.next();
    assertThat(first.messageId()).isEqualTo("job-1:1");
    assertThat(first.text()).isEqualTo("first");
    // The duplicate would have queued before the next id.
    assertThat(inbox.next().messageId()).isEqualTo("job-1:2");
    assertThat(inbox.poll(QUIET)).isEmpty();
  }

  @Test
  void asyncSendsCompleteAndArriveInTheirOrder() throws Exception {
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "all", CorrelationFilter.ALL);
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (int i = 1; i <= 50; i++) {
      sent.add(bus.sendAsync(queue, message("q-" + i)));
      sent.add(bus.sendAsync(topic, message("t-" + i)));
    }

    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
        .get(patience().toMillis(), TimeUnit.MILLISECONDS);

    Inbox fromQueue = recording();
    Inbox fromTopic = recording();
    receive(Source.queue(queue), fromQueue);
    receive(Source.subscription(topic, "all"), fromTopic);
    for (int i = 1; i <= 50; i++) {
      assertThat(fromQueue.next().messageId()).isEqualTo("q-" + i);
      assertThat(fromTopic.next().messageId()).isEqualTo("t-" + i);
    }
  }

  /** Deleted by another connection, so this bus still believes it exists: the broker refuses. */
  @Test
  void asyncSendToADeletedDestinationFails() {
    assumeAdministration();
    MessageBus other = track(connect());
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.sendAsync(queue, message("before-q")).join();
    bus.sendAsync(topic, message("before-t")).join();

    other.deleteQueue(queue);
    other.deleteTopic(topic);

    assertThat(bus.sendAsync(queue, message("after-q")))
        .failsWithin(patience())
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(BusException.class)
        .withMessageContaining(queue);
    assertThat(bus.sendAsync(topic, message("after-t")))
        .failsWithin(patience())
        .withThrowableOfType(ExecutionException.class)
        .havingCause()
        .isInstanceOf(BusException.class)
        .withMessageContaining(topic);
  }

  // --- scheduling -------------------------------------------------------------------------------

  @Test
  void scheduledMessageArrivesNoEarlierThanItsTime() {
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);
    Instant deliverAt = Instant.now().plusSeconds(1);

    bus.schedule(queue, message("later"), deliverAt);

    Delivery delivery = inbox.next();
    assertThat(delivery.messageId()).isEqualTo("later");
    assertThat(delivery.at()).isAfterOrEqualTo(deliverAt);
  }

  @Test
  void cancelledScheduledMessageIsNeverDelivered() {
    assumeCapability(bus.capabilities().cancelScheduled(), "cannot cancel scheduled messages");
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);
    Instant cancelledAt = Instant.now().plus(CANCEL_LEAD);

    ScheduledMessage cancelled = bus.schedule(queue, message("cancelled"), cancelledAt);
    bus.schedule(queue, message("kept"), cancelledAt.plusMillis(500));

    boolean wasScheduled = bus.cancelScheduled(cancelled);
    assumeCancelledBeforeDue(cancelledAt);
    assertThat(wasScheduled).isTrue();
    assertThat(inbox.next(KEPT_PATIENCE).messageId()).isEqualTo("kept");
    assertThat(inbox.poll(QUIET)).isEmpty();
    assertThat(bus.cancelScheduled(cancelled)).isFalse();
  }

  @Test
  void cancellingAScheduledTopicMessageCancelsItForEverySubscription() {
    assumeCapability(bus.capabilities().cancelScheduled(), "cannot cancel scheduled messages");
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "one", CorrelationFilter.ALL);
    bus.createSubscription(topic, "two", CorrelationFilter.ALL);
    Inbox one = recording();
    Inbox two = recording();
    receive(Source.subscription(topic, "one"), one);
    receive(Source.subscription(topic, "two"), two);
    Instant teardownAt = Instant.now().plus(CANCEL_LEAD);

    ScheduledMessage teardown = bus.schedule(topic, message("teardown"), teardownAt);
    bus.schedule(topic, message("kept"), teardownAt.plusMillis(500));

    boolean wasScheduled = bus.cancelScheduled(teardown);
    assumeCancelledBeforeDue(teardownAt);
    assertThat(wasScheduled).isTrue();
    assertThat(one.next(KEPT_PATIENCE).messageId()).isEqualTo("kept");
    assertThat(two.next(KEPT_PATIENCE).messageId()).isEqualTo("kept");
  }

  /**
   * A cancel that returned after the message was due may rightly have found it delivered: the
   * machine stalled, and the test cannot tell, so it is skipped.
   */
  private static void assumeCancelledBeforeDue(Instant due) {
    Assumptions.assumeTrue(
        Instant.now().isBefore(due), "the machine stalled until the cancelled message was due");
  }

  @Test
  void cancelAfterDeliveryOrOfUnknownTokenReturnsFalse() {
    assumeCapability(bus.capabilities().cancelScheduled(), "cannot cancel scheduled messages");
    String queue = newQueue();
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);

    ScheduledMessage soon = bus.schedule(queue, message("soon"), Instant.now().plusMillis(200));
    assertThat(inbox.next().messageId()).isEqualTo("soon");

    assertThat(bus.cancelScheduled(soon)).isFalse();
    assertThat(bus.cancelScheduled(new ScheduledMessage(queue, "no-such-token"))).isFalse();
    assertThat(bus.cancelScheduled(new ScheduledMessage(unique("gone"), soon.token()))).isFalse();
  }

  // --- settlement and redelivery ----------------------------------------------------------------

  @Test
  void abandonedMessageIsRedeliveredWithIncrementedDeliveryCount() {
    String queue = newQueue();
    Inbox inbox =
        then(
            message -> {
              if (message.deliveryCount() == 1) {
                message.abandon();
              } else {
                message.complete();
              }
            });
    receive(Source.queue(queue), inbox);

    bus.send(queue, message("retry-me"));

    assertThat(inbox.next().deliveryCount()).isEqualTo(1);
    Delivery again = inbox.next();
    assertThat(again.messageId()).isEqualTo("retry-me");
    assertThat(again.deliveryCount()).isEqualTo(2);
    assertThat(inbox.poll(QUIET)).isEmpty();
  }

  @Test
  void handlerThatThrowsAbandonsAndOneThatReturnsCompletes() {
    String queue = newQueue();
    Inbox inbox =
        then(
            message -> {
              if (message.deliveryCount() == 1) {
                throw new IllegalStateException("first attempt fails");
              }
            });
    receive(Source.queue(queue), inbox);

    bus.send(queue, message("flaky"));
    bus.send(queue, message("after"));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      Delivery d = inbox.next();
      seen.add(d.messageId() + "#" + d.deliveryCount());
    }
    assertThat(seen).containsExactlyInAnyOrder("flaky#1", "flaky#2", "after#1", "after#2");
    assertThat(inbox.poll(QUIET)).isEmpty();
  }

  @Test
  void settlingTwiceIsRejected() throws Exception {
    String queue = newQueue();
    List<Throwable> errors = new CopyOnWriteArrayList<>();
    CountDownLatch handled = new CountDownLatch(1);
    Inbox inbox =
        then(
            message -> {
              message.complete();
              try {
                message.abandon();
              } catch (IllegalStateException expected) {
                errors.add(expected);
              }
              handled.countDown();
            });
    receive(Source.queue(queue), inbox);

    bus.send(queue, message("once"));

    assertThat(inbox.next().messageId()).isEqualTo("once");
    assertTrue(handled.await(patience().toSeconds(), TimeUnit.SECONDS));
    assertThat(errors).hasSize(1);
    assertThat(inbox.poll(QUIET)).isEmpty();
  }

  @Test
  void messageOfAClosedReceiverGoesToTheNextReceiver() throws Exception {
    String queue = newQueue();
    CountDownLatch release = new CountDownLatch(1);
    Inbox stuck = then(message -> release.await(30, TimeUnit.SECONDS));
    Receiver first = bus.receive(Source.queue(queue), ReceiveOptions.ONE_AT_A_TIME, stuck);
    try {
      bus.send(queue, message("handed-back"));
      assertThat(stuck.next().deliveryCount()).isEqualTo(1);

      first.close();

      Inbox next = recording();
      receive(Source.queue(queue), next);
      Delivery again = next.next();
      assertThat(again.messageId()).isEqualTo("handed-back");
      assertThat(again.deliveryCount()).isEqualTo(2);
    } finally {
      release.countDown();
      first.close();
    }
  }

  @Test
  void messageOfALostConnectionGoesToAnotherConsumer() throws Exception {
    String queue = newQueue();
    CountDownLatch release = new CountDownLatch(1);
    MessageBus doomed = connect();
    try {
      Inbox stuck = then(message -> release.await(30, TimeUnit.SECONDS));
      doomed.receive(Source.queue(queue), ReceiveOptions.ONE_AT_A_TIME, stuck);
      bus.send(queue, message("orphaned"));
      assertThat(stuck.next().deliveryCount()).isEqualTo(1);

      doomed.close();

      Inbox survivor = recording();
      receive(Source.queue(queue), survivor);
      Delivery again = survivor.next();
      assertThat(again.messageId()).isEqualTo("orphaned");
      assertThat(again.deliveryCount()).isEqualTo(2);
    } finally {
      release.countDown();
      doomed.close();
    }
  }

  @Test
  void pipelinedCompletionsSettleEveryMessageAndAbandonsStillRedeliver() {
    String queue = newQueue();
    Inbox inbox =
        then(
            message -> {
              if (message.messageId().equals("flaky") && message.deliveryCount() == 1) {
                throw new IllegalStateException("first attempt fails");
              }
            });
    Receiver first = track(bus.receive(Source.queue(queue), new ReceiveOptions(4, true), inbox));
    List<String> sent = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      sent.add("p-" + i);
      bus.send(queue, message("p-" + i));
    }
    bus.send(queue, message("flaky"));

    List<String> seen = new ArrayList<>();
    for (int i = 0; i < 22; i++) {
      Delivery d = inbox.next();
      seen.add(d.messageId() + "#" + d.deliveryCount());
    }
    List<String> expected = new ArrayList<>(sent.stream().map(id -> id + "#1").toList());
    expected.addAll(List.of("flaky#1", "flaky#2"));
    assertThat(seen).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(inbox.poll(QUIET)).isEmpty();

    // The completions took effect at the broker: a receiver opened after this one gets nothing.
    first.close();
    Inbox next = recording();
    receive(Source.queue(queue), next);
    assertThat(next.poll(QUIET)).isEmpty();
  }

  @Test
  void pipelinedCompletionBeforeALostConnectionHoldsAndTheUnsettledMessageComesBack()
      throws Exception {
    String queue = newQueue();
    CountDownLatch release = new CountDownLatch(1);
    MessageBus doomed = connect();
    try {
      Inbox stuck =
          then(
              message -> {
                if (message.messageId().equals("orphaned")) {
                  release.await(30, TimeUnit.SECONDS);
                }
              });
      doomed.receive(Source.queue(queue), new ReceiveOptions(1, true), stuck);
      bus.send(queue, message("done"));
      bus.send(queue, message("orphaned"));
      assertThat(stuck.next().messageId()).isEqualTo("done");
      assertThat(stuck.next().messageId()).isEqualTo("orphaned");

      doomed.close();

      Inbox survivor = recording();
      receive(Source.queue(queue), survivor);
      Delivery again = survivor.next();
      assertThat(again.messageId()).isEqualTo("orphaned");
      assertThat(again.deliveryCount()).isEqualTo(2);
      assertThat(survivor.poll(QUIET)).isEmpty();
    } finally {
      release.countDown();
      doomed.close();
    }
  }

  @Test
  void receiverHandlesUpToMaxConcurrentMessagesAtOnce() throws Exception {
    String queue = newQueue();
    CountDownLatch bothStarted = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    Inbox inbox =
        then(
            message -> {
              bothStarted.countDown();
              release.await(30, TimeUnit.SECONDS);
            });
    track(bus.receive(Source.queue(queue), new ReceiveOptions(2), inbox));
    try {
      bus.send(queue, message("one"));
      bus.send(queue, message("two"));

      assertTrue(
          bothStarted.await(patience().toSeconds(), TimeUnit.SECONDS),
          "two messages should be in their handlers at the same time");
    } finally {
      release.countDown();
    }
    assertThat(inbox.drain())
        .extracting(Delivery::messageId)
        .containsExactlyInAnyOrder("one", "two");
  }

  // --- batches ----------------------------------------------------------------------------------

  /**
   * A batch handler that records each batch as it saw it, then settles each message by its body:
   * "complete", "abandon", "dead-letter", or anything else left to the receiver; a body "throw"
   * makes the handler throw after settling the others. Only first deliveries are acted on this way;
   * later ones are left to the receiver (completed).
   */
  public static final class Batches implements BatchHandler {
    private final BlockingQueue<List<Delivery>> batches = new LinkedBlockingQueue<>();
    private final List<Integer> sizes = new CopyOnWriteArrayList<>();

    @Override
    public void handle(List<ReceivedMessage> batch) {
      List<Delivery> seen = new ArrayList<>();
      boolean fail = false;
      for (ReceivedMessage message : batch) {
        String body = new String(message.body(), StandardCharsets.UTF_8);
        seen.add(
            new Delivery(
                message.messageId(),
                message.properties(),
                message.body(),
                message.deliveryCount(),
                Instant.now()));
        if (message.deliveryCount() > 1) {
          continue;
        }
        switch (body) {
          case "complete" -> message.complete();
          case "abandon" -> message.abandon();
          case "dead-letter" -> message.deadLetter("rejected in a batch");
          case "throw" -> fail = true;
          default -> {}
        }
      }
      sizes.add(seen.size());
      batches.add(seen);
      if (fail) {
        throw new IllegalStateException("batch handler fails");
      }
    }

    /** Deliveries of the batches that arrive within {@code patience} until {@code count} seen. */
    public List<Delivery> next(int count, Duration patience) throws InterruptedException {
      List<Delivery> seen = new ArrayList<>();
      long deadline = System.nanoTime() + patience.toNanos();
      while (seen.size() < count) {
        List<Delivery> batch = batches.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (batch == null) {
          throw new AssertionError("only " + seen.size() + " of " + count + " messages arrived");
        }
        seen.addAll(batch);
      }
      return seen;
    }

    /** A batch that arrives within {@code wait}, if any. */
    Optional<List<Delivery>> poll(Duration wait) throws InterruptedException {
      return Optional.ofNullable(batches.poll(wait.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** The size of every batch handled so far, in order. */
    public List<Integer> sizes() {
      return List.copyOf(sizes);
    }
  }

  protected static List<String> ids(List<Delivery> deliveries) {
    return deliveries.stream().map(d -> d.messageId() + "#" + d.deliveryCount()).toList();
  }

  @Test
  void batchReceiverDeliversInOrderAtMostItsBatchSizeAtOnce() throws Exception {
    String queue = newQueue();
    for (int i = 1; i <= 7; i++) {
      bus.send(queue, message("m-" + i));
    }
    Batches batches = new Batches();
    track(bus.receiveBatches(Source.queue(queue), 3, batches));

    assertThat(ids(batches.next(7, patience())))
        .containsExactly("m-1#1", "m-2#1", "m-3#1", "m-4#1", "m-5#1", "m-6#1", "m-7#1");
    bus.send(queue, message("m-8"));
    assertThat(ids(batches.next(1, patience()))).containsExactly("m-8#1");
    assertThat(batches.sizes()).allSatisfy(size -> assertThat(size).isBetween(1, 3));
  }

  @Test
  void batchSettlesEachMessageAsItsHandlerSaid() throws Exception {
    String queue = newQueue();
    Inbox deadLetters = recording();
    receive(Source.deadLetters(Source.queue(queue)), deadLetters);
    bus.send(queue, message("a", Map.of(), "complete"));
    bus.send(queue, message("b", Map.of(), "abandon"));
    bus.send(queue, message("c", Map.of(), "dead-letter"));
    bus.send(queue, message("d", Map.of(), "left to the receiver"));
    Batches batches = new Batches();
    track(bus.receiveBatches(Source.queue(queue), 4, batches));

    List<Delivery> seen = batches.next(5, patience());

    assertThat(ids(seen)).containsSubsequence("a#1", "b#1", "c#1", "d#1");
    assertThat(ids(seen)).containsOnlyOnce("b#2");
    Delivery dead = deadLetters.next();
    assertThat(dead.messageId()).isEqualTo("c");
    assertThat(dead.properties()).containsEntry("deadLetterReason", "rejected in a batch");
    assertThat(batches.poll(QUIET)).isEmpty();
    assertThat(deadLetters.poll(Duration.ZERO)).isEmpty();
  }

  @Test
  void batchHandlerThatThrowsAbandonsOnlyWhatItLeftUnsettled() throws Exception {
    String queue = newQueue();
    bus.send(queue, message("settled", Map.of(), "complete"));
    bus.send(queue, message("failing", Map.of(), "throw"));
    Batches batches = new Batches();
    track(bus.receiveBatches(Source.queue(queue), 2, batches));

    List<Delivery> seen = batches.next(3, patience());

    assertThat(ids(seen)).containsExactly("settled#1", "failing#1", "failing#2");
    assertThat(batches.poll(QUIET)).isEmpty();
  }

  @Test
  void messagesOfAClosedBatchReceiverGoToTheNextReceiver() throws Exception {
    String queue = newQueue();
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch held = new CountDownLatch(1);
    Receiver first =
        bus.receiveBatches(
            Source.queue(queue),
            8,
            batch -> {
              held.countDown();
              release.await(30, TimeUnit.SECONDS);
            });
    try {
      bus.send(queue, message("handed-back"));
      assertTrue(held.await(patience().toSeconds(), TimeUnit.SECONDS));

      first.close();

      Inbox next = recording();
      receive(Source.queue(queue), next);
      assertThat(next.next().messageId()).isEqualTo("handed-back");
    } finally {
      release.countDown();
      first.close();
    }
  }

  // --- dead letters -----------------------------------------------------------------------------

  @Test
  void messageIsDeadLetteredAfterMaxDeliveryCount() {
    String queue = newQueue(new EntityOptions(3));
    Inbox failing =
        then(
            message -> {
              throw new IllegalStateException("poison");
            });
    receive(Source.queue(queue), failing);
    Inbox deadLetters = recording();
    receive(Source.deadLetters(Source.queue(queue)), deadLetters);

    bus.send(queue, message("poison", Map.of("type", "job"), "payload"));

    Delivery dead = deadLetters.next();
    assertThat(dead.messageId()).isEqualTo("poison");
    assertThat(dead.text()).isEqualTo("payload");
    assertThat(dead.properties()).containsEntry("type", "job").containsKey("deadLetterReason");
    assertThat(failing.drain()).extracting(Delivery::deliveryCount).containsExactly(1, 2, 3);
    assertThat(failing.poll(QUIET)).isEmpty();
  }

  @Test
  void explicitDeadLetterCarriesTheReason() {
    String queue = newQueue();
    Inbox rejecting = then(message -> message.deadLetter("unknown job type"));
    receive(Source.queue(queue), rejecting);
    Inbox deadLetters = recording();
    receive(Source.deadLetters(Source.queue(queue)), deadLetters);

    bus.send(queue, message("rejected", Map.of("type", "mystery"), "payload"));

    Delivery dead = deadLetters.next();
    assertThat(dead.messageId()).isEqualTo("rejected");
    assertThat(dead.text()).isEqualTo("payload");
    assertThat(dead.properties())
        .containsEntry("type", "mystery")
        .containsEntry("deadLetterReason", "unknown job type");
    assertThat(rejecting.next().deliveryCount()).isEqualTo(1);
    assertThat(rejecting.poll(QUIET)).isEmpty();
  }

  @Test
  void subscriptionsKeepSeparateDeadLettersUsingTheTopicsMaxDeliveryCount() {
    String topic = unique("t");
    bus.createTopic(topic, new EntityOptions(2));
    bus.createSubscription(topic, "failing", CorrelationFilter.ALL);
    bus.createSubscription(topic, "rejecting", CorrelationFilter.ALL);
    bus.createSubscription(topic, "healthy", CorrelationFilter.ALL);
    Inbox failing =
        then(
            message -> {
              throw new IllegalStateException("always fails");
            });
    receive(Source.subscription(topic, "failing"), failing);
    receive(Source.subscription(topic, "rejecting"), then(m -> m.deadLetter("rejected")));
    Inbox healthy = recording();
    receive(Source.subscription(topic, "healthy"), healthy);
    Inbox failingDead = recording();
    Inbox rejectingDead = recording();
    Inbox healthyDead = recording();
    receive(Source.deadLetters(Source.subscription(topic, "failing")), failingDead);
    receive(Source.deadLetters(Source.subscription(topic, "rejecting")), rejectingDead);
    receive(Source.deadLetters(Source.subscription(topic, "healthy")), healthyDead);

    bus.send(topic, message("shared"));

    assertThat(healthy.next().messageId()).isEqualTo("shared");
    assertThat(failingDead.next().messageId()).isEqualTo("shared");
    assertThat(rejectingDead.next().properties()).containsEntry("deadLetterReason", "rejected");
    assertThat(failing.drain()).extracting(Delivery::deliveryCount).containsExactly(1, 2);
    assertThat(failingDead.poll(QUIET)).isEmpty();
    assertThat(rejectingDead.poll(Duration.ZERO)).isEmpty();
    assertThat(healthyDead.poll(Duration.ZERO)).isEmpty();
  }

  // --- topology ---------------------------------------------------------------------------------

  @Test
  void topologyCallsAreIdempotent() {
    assumeAdministration();
    String queue = unique("q");
    String topic = unique("t");

    bus.createQueue(queue, EntityOptions.DEFAULTS);
    bus.createQueue(queue, EntityOptions.DEFAULTS);
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "sub", CorrelationFilter.of("workerId", "w1"));
    bus.createSubscription(topic, "sub", CorrelationFilter.of("workerId", "w1"));

    assertThat(bus.queueExists(queue)).isTrue();
    assertThat(bus.topicExists(topic)).isTrue();
    assertThat(bus.subscriptionExists(topic, "sub")).isTrue();
    assertThat(bus.topicExists(queue)).isFalse();
    assertThat(bus.queueExists(topic)).isFalse();
    assertThat(bus.subscriptionExists(topic, "other")).isFalse();

    bus.deleteSubscription(topic, "sub");
    bus.deleteSubscription(topic, "sub");
    assertThat(bus.subscriptionExists(topic, "sub")).isFalse();
    bus.deleteQueue(queue);
    bus.deleteQueue(queue);
    assertThat(bus.queueExists(queue)).isFalse();
    bus.deleteTopic(topic);
    bus.deleteTopic(topic);
    assertThat(bus.topicExists(topic)).isFalse();
  }

  @Test
  void deletingATopicDeletesItsSubscriptions() {
    assumeAdministration();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "a", CorrelationFilter.ALL);
    bus.createSubscription(topic, "b", CorrelationFilter.of("workerId", "b"));

    bus.deleteTopic(topic);

    assertThat(bus.topicExists(topic)).isFalse();
    assertThat(bus.subscriptionExists(topic, "a")).isFalse();
    assertThat(bus.subscriptionExists(topic, "b")).isFalse();
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    assertThat(bus.subscriptionExists(topic, "a")).isFalse();
  }

  @Test
  void entitiesWithReceiversCanBeDeleted() {
    assumeAdministration();
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "busy", CorrelationFilter.ALL);
    receive(Source.queue(queue), recording());
    receive(Source.subscription(topic, "busy"), recording());

    bus.deleteSubscription(topic, "busy");
    bus.deleteQueue(queue);

    assertThat(bus.subscriptionExists(topic, "busy")).isFalse();
    assertThat(bus.queueExists(queue)).isFalse();
  }

  @Test
  void missingEntitiesAreReportedAsBusExceptions() {
    String missing = unique("missing");

    assertThatThrownBy(() -> bus.send(missing, message("lost")))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(missing);
    assertThatThrownBy(() -> bus.schedule(missing, message("lost"), Instant.now()))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(missing);
    assertThatThrownBy(() -> bus.createSubscription(missing, "sub", CorrelationFilter.ALL))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(missing);
    assertThatThrownBy(
            () -> bus.receive(Source.queue(missing), ReceiveOptions.ONE_AT_A_TIME, recording()))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(missing);
    assertThat(bus.queueExists(missing)).isFalse();
    assertThat(bus.topicExists(missing)).isFalse();
  }

  @Test
  void sendToADestinationDeletedAfterUseFails() {
    assumeAdministration();
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.send(queue, message("before-q"));
    bus.send(topic, message("before-t"));

    bus.deleteQueue(queue);
    bus.deleteTopic(topic);

    assertThatThrownBy(() -> bus.send(queue, message("after-q")))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(queue);
    assertThatThrownBy(() -> bus.send(topic, message("after-t")))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(topic);
    assertThatThrownBy(() -> bus.schedule(queue, message("later-q"), Instant.now()))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(queue);
  }

  /** Another replica (another connection) deletes what this one has sent to: never a quiet drop. */
  @Test
  void sendToADestinationDeletedByAnotherConnectionFails() {
    assumeAdministration();
    MessageBus other = track(connect());
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.send(queue, message("before-q"));
    bus.send(topic, message("before-t"));

    other.deleteQueue(queue);
    other.deleteTopic(topic);

    assertThatThrownBy(() -> bus.send(queue, message("after-q")))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(queue);
    assertThatThrownBy(() -> bus.send(topic, message("after-t")))
        .isInstanceOf(BusException.class)
        .hasMessageContaining(topic);
    bus.createQueue(queue, EntityOptions.DEFAULTS);
    Inbox inbox = recording();
    receive(Source.queue(queue), inbox);
    bus.send(queue, message("recreated"));
    assertThat(inbox.next().messageId()).isEqualTo("recreated");
  }

  @Test
  void aNameIsEitherATopicOrAQueue() {
    assumeAdministration();
    String queue = newQueue();
    String topic = unique("t");
    bus.createTopic(topic, EntityOptions.DEFAULTS);

    assertThatThrownBy(() -> bus.createTopic(queue, EntityOptions.DEFAULTS))
        .isInstanceOf(BusException.class);
    assertThatThrownBy(() -> bus.createQueue(topic, EntityOptions.DEFAULTS))
        .isInstanceOf(BusException.class);

    bus.deleteTopic(queue);
    bus.deleteQueue(topic);
    assertThat(bus.queueExists(queue)).isTrue();
    assertThat(bus.topicExists(topic)).isTrue();
    receive(Source.deadLetters(Source.queue(queue)), recording());
  }

  // --- worker access ----------------------------------------------------------------------------

  /** One tenant's job topic with a worker's subscription, its control queue and its worker. */
  protected record WorkerTenant(
      String topic, String subscription, String controlQueue, BusCredentials credentials) {
    public Source jobs() {
      return Source.subscription(topic, subscription);
    }
  }

  /** A tenant whose worker principal is revoked after the test. */
  protected WorkerTenant newWorkerTenant() {
    assumeCapability(bus.capabilities().scopedCredentials(), "cannot grant scoped credentials");
    String topic = unique("t");
    String controlQueue = unique("q");
    bus.createTopic(topic, EntityOptions.DEFAULTS);
    bus.createSubscription(topic, "worker-1", CorrelationFilter.of("workerId", "1"));
    bus.createQueue(controlQueue, EntityOptions.DEFAULTS);
    String principal = unique("worker");
    BusCredentials credentials = bus.grantWorkerAccess(principal, topic, controlQueue);
    track(() -> bus.revokeWorkerAccess(principal));
    assertThat(credentials.user()).isEqualTo(principal);
    return new WorkerTenant(topic, "worker-1", controlQueue, credentials);
  }

  /**
   * Connects with the credentials and sends to the control queue: a refused principal fails at
   * connect (a broker that checks passwords per connection) or at first use (Service Bus checks a
   * token per entity, so only a use can tell).
   */
  protected void connectAndReport(BusCredentials credentials, String controlQueue) {
    try (MessageBus worker = connect(credentials)) {
      worker.send(controlQueue, message("hello"));
    }
  }

  /** A refusal: a permanent {@link BusException} that names what was refused. */
  protected static void assertRefused(ThrowingCallable call, String naming) {
    assertThatThrownBy(call)
        .isInstanceOf(BusException.class)
        .hasMessageContaining(naming)
        .satisfies(e -> assertThat(((BusException) e).isTransient()).as("transient").isFalse());
  }

  @Test
  void workerReceivesJobsDeadLettersThemAndReportsOnTheControlQueue() {
    WorkerTenant tenant = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    Inbox jobs =
        then(
            message -> {
              if (message.messageId().equals("poison")) {
                message.deadLetter("undecodable");
              }
            });
    track(worker.receive(tenant.jobs(), ReceiveOptions.ONE_AT_A_TIME, jobs));
    Inbox control = recording();
    receive(Source.queue(tenant.controlQueue()), control);
    Inbox deadLetters = recording();
    receive(Source.deadLetters(tenant.jobs()), deadLetters);

    bus.send(tenant.topic(), message("job-1", Map.of("workerId", "1"), "work"));
    bus.send(tenant.topic(), message("poison", Map.of("workerId", "1"), "junk"));
    worker.send(tenant.controlQueue(), message("ready-1"));

    assertThat(jobs.next().messageId()).isEqualTo("job-1");
    assertThat(jobs.next().messageId()).isEqualTo("poison");
    assertThat(deadLetters.next().properties()).containsEntry("deadLetterReason", "undecodable");
    assertThat(control.next().messageId()).isEqualTo("ready-1");
    assertThat(worker.subscriptionExists(tenant.topic(), tenant.subscription())).isTrue();
    assertThat(worker.health().up()).as(worker.health().detail()).isTrue();
  }

  @Test
  void grantedPasswordIsFreshUrlSafeAndHidden() {
    WorkerTenant tenant = newWorkerTenant();
    BusCredentials credentials = tenant.credentials();

    assertThat(credentials.password()).matches("[A-Za-z0-9_-]{24,}");
    assertThat(credentials.toString())
        .contains(credentials.user())
        .doesNotContain(credentials.password());
  }

  @Test
  void grantingAgainResetsThePassword() {
    WorkerTenant tenant = newWorkerTenant();
    BusCredentials first = tenant.credentials();

    BusCredentials second =
        bus.grantWorkerAccess(first.user(), tenant.topic(), tenant.controlQueue());

    assertThat(second.user()).isEqualTo(first.user());
    assertThat(second.password()).isNotEqualTo(first.password());
    assertRefused(() -> connectAndReport(first, tenant.controlQueue()), first.user());
    MessageBus worker = track(connect(second));
    Inbox control = recording();
    receive(Source.queue(tenant.controlQueue()), control);
    worker.send(tenant.controlQueue(), message("still-allowed"));
    assertThat(control.next().messageId()).isEqualTo("still-allowed");
  }

  @Test
  void workerCannotCreateOrDeleteEntities() {
    WorkerTenant tenant = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    String newTopic = unique("t");
    String newQueue = unique("q");

    assertRefused(() -> worker.createTopic(newTopic, EntityOptions.DEFAULTS), newTopic);
    assertRefused(() -> worker.createQueue(newQueue, EntityOptions.DEFAULTS), newQueue);
    assertRefused(
        () -> worker.createSubscription(tenant.topic(), "mine", CorrelationFilter.ALL), "mine");
    assertRefused(
        () -> worker.deleteSubscription(tenant.topic(), tenant.subscription()),
        tenant.subscription());
    assertRefused(() -> worker.deleteTopic(tenant.topic()), tenant.topic());
    assertRefused(() -> worker.deleteQueue(tenant.controlQueue()), tenant.controlQueue());

    assertThat(bus.topicExists(newTopic)).isFalse();
    assertThat(bus.queueExists(newQueue)).isFalse();
    assertThat(bus.subscriptionExists(tenant.topic(), "mine")).isFalse();
    assertThat(bus.subscriptionExists(tenant.topic(), tenant.subscription())).isTrue();
    assertThat(bus.topicExists(tenant.topic())).isTrue();
    assertThat(bus.queueExists(tenant.controlQueue())).isTrue();
  }

  @Test
  void workerCannotSendJobsNorReadTheControlQueue() {
    WorkerTenant tenant = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    Inbox inbox = recording();

    assertRefused(
        () -> worker.send(tenant.topic(), message("forged", Map.of("workerId", "1"), "x")),
        tenant.topic());
    assertRefused(
        () -> worker.schedule(tenant.topic(), message("later"), Instant.now().plusSeconds(60)),
        tenant.topic());
    assertRefused(
        () ->
            worker.receive(
                Source.queue(tenant.controlQueue()), ReceiveOptions.ONE_AT_A_TIME, inbox),
        tenant.controlQueue());
  }

  @Test
  void workerCannotReadDeadLetters() {
    WorkerTenant tenant = newWorkerTenant();
    assumeCapability(
        bus.capabilities().deadLettersHiddenFromWorkers(), "lets a listener read dead letters");
    MessageBus worker = track(connect(tenant.credentials()));

    assertRefused(
        () ->
            worker.receive(
                Source.deadLetters(tenant.jobs()), ReceiveOptions.ONE_AT_A_TIME, recording()),
        tenant.topic());
  }

  @Test
  void workerCannotTouchAnotherTenantsEntities() {
    WorkerTenant tenant = newWorkerTenant();
    WorkerTenant other = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    Inbox inbox = recording();

    assertRefused(
        () -> worker.send(other.controlQueue(), message("spoofed")), other.controlQueue());
    assertRefused(
        () -> worker.receive(other.jobs(), ReceiveOptions.ONE_AT_A_TIME, inbox), other.topic());
    assertRefused(
        () -> worker.send(other.topic(), message("forged", Map.of("workerId", "1"), "x")),
        other.topic());

    Inbox otherJobs = recording();
    receive(other.jobs(), otherJobs);
    bus.send(other.topic(), message("theirs", Map.of("workerId", "1"), "x"));
    assertThat(otherJobs.next().messageId()).isEqualTo("theirs");
    assertThat(inbox.poll(Duration.ZERO)).isEmpty();
  }

  @Test
  void workerCannotUseManagement() {
    assumeCapability(bus.capabilities().cancelScheduled(), "cannot cancel scheduled messages");
    WorkerTenant tenant = newWorkerTenant();
    MessageBus worker = track(connect(tenant.credentials()));
    // On the job topic, where the worker may only listen: Service Bus lets whoever may send to an
    // entity cancel its scheduled messages.
    ScheduledMessage scheduled =
        bus.schedule(
            tenant.topic(),
            message("teardown", Map.of("workerId", "1"), "x"),
            Instant.now().plusSeconds(60));

    assertRefused(() -> worker.cancelScheduled(scheduled), tenant.topic());

    assertThat(bus.cancelScheduled(scheduled)).as("still scheduled").isTrue();
  }

  @Test
  void revokedWorkerCannotConnectAndRevokingIsIdempotent() {
    WorkerTenant tenant = newWorkerTenant();
    connectAndReport(tenant.credentials(), tenant.controlQueue());

    bus.revokeWorkerAccess(tenant.credentials().user());
    bus.revokeWorkerAccess(tenant.credentials().user());
    bus.revokeWorkerAccess(unique("never-granted"));

    assertRefused(
        () -> connectAndReport(tenant.credentials(), tenant.controlQueue()),
        tenant.credentials().user());
  }

  @Test
  void revokingOneWorkerLeavesAnotherOfTheSameTenantItsRights() {
    WorkerTenant tenant = newWorkerTenant();
    String second = unique("worker");
    BusCredentials secondCredentials =
        bus.grantWorkerAccess(second, tenant.topic(), tenant.controlQueue());
    track(() -> bus.revokeWorkerAccess(second));

    bus.revokeWorkerAccess(tenant.credentials().user());

    MessageBus worker = track(connect(secondCredentials));
    Inbox jobs = recording();
    track(worker.receive(tenant.jobs(), ReceiveOptions.ONE_AT_A_TIME, jobs));
    Inbox control = recording();
    receive(Source.queue(tenant.controlQueue()), control);
    bus.send(tenant.topic(), message("job", Map.of("workerId", "1"), "x"));
    worker.send(tenant.controlQueue(), message("ready"));
    assertThat(jobs.next().messageId()).isEqualTo("job");
    assertThat(control.next().messageId()).isEqualTo("ready");
  }

  // --- health -----------------------------------------------------------------------------------

  @Test
  void healthIsUpWhileConnected() {
    BusHealth health = bus.health();

    assertThat(health.up()).as(health.detail()).isTrue();
    assertThat(health.detail()).isNotBlank();
  }
}
