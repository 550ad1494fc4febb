package dev.conductor.messaging;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The message bus port, shaped after Azure Service Bus: topics with filtered subscriptions, queues,
 * scheduled sends with cancel and peek-lock settlement. Topology calls are idempotent so that a
 * re-run provisioning step converges instead of failing.
 */
public interface MessageBus extends AutoCloseable {

  /** Creates the topic if it does not exist. */
  void createTopic(String topic, EntityOptions options);

  /** Deletes the topic and all its subscriptions; absent is fine. */
  void deleteTopic(String topic);

  boolean topicExists(String topic);

  /**
   * Creates a subscription that receives the topic's messages whose properties equal every entry of
   * the filter (a correlation filter; empty receives everything). Idempotent.
   */
  void createSubscription(String topic, String subscription, CorrelationFilter filter);

  /** Deletes the subscription and its pending messages; absent is fine. */
  void deleteSubscription(String topic, String subscription);

  boolean subscriptionExists(String topic, String subscription);

  /** Creates the queue if it does not exist. */
  void createQueue(String queue, EntityOptions options);

  /** Deletes the queue and its pending messages; absent is fine. */
  void deleteQueue(String queue);

  boolean queueExists(String queue);

  /** Sends to a topic or a queue. Throws {@link BusException} if the destination is missing. */
  void send(String destination, OutgoingMessage message);

  /**
   * Sends without waiting: the future completes once the broker has the message (stored durably,
   * where the adapter's sends are durable), or exceptionally with a {@link BusException}; sends
   * from one thread keep their order. The default sends at once, as {@link #send} does.
   */
  default CompletableFuture<Void> sendAsync(String destination, OutgoingMessage message) {
    try {
      send(destination, message);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** Sends a message that becomes visible no earlier than {@code deliverAt}. */
  ScheduledMessage schedule(String destination, OutgoingMessage message, Instant deliverAt);

  /**
   * Cancels a scheduled message. Returns false if it was already delivered or is unknown; never
   * throws for that case, since a teardown may race with its own activation.
   */
  boolean cancelScheduled(ScheduledMessage scheduled);

  /**
   * Starts receiving in peek-lock mode. A message is settled by the handler (complete, abandon,
   * dead-letter); a handler that returns without settling completes it, one that throws abandons
   * it. The receiver runs until closed.
   */
  Receiver receive(Source source, ReceiveOptions options, MessageHandler handler);

  /**
   * Starts receiving in peek-lock mode in batches, one handler call at a time: each call gets the
   * messages available at once (at least one, at most {@code maxMessages}) in their entity's order.
   * Each message is settled as with {@link #receive}; settlements take effect when the handler
   * returns, at the latest (in one broker transaction where the adapter has one), unsettled
   * messages completed, or abandoned if it throws. The default takes batches of one message.
   */
  default Receiver receiveBatches(Source source, int maxMessages, BatchHandler handler) {
    if (maxMessages < 1) {
      throw new IllegalArgumentException("maxMessages must be at least 1");
    }
    return receive(
        source, ReceiveOptions.ONE_AT_A_TIME, message -> handler.handle(List.of(message)));
  }

  /**
   * Creates the principal, or resets its password if it exists, with the rights a worker needs and
   * no more: receive from the subscriptions of {@code topic} (and dead-letter what it received),
   * send to {@code controlQueue}. It may not create or delete entities, use management, browse,
   * send to the topic, receive from the control queue, or touch any other entity. Idempotent; every
   * call returns a freshly generated password and the previous one stops working for new
   * connections. Throws {@link BusException} if the adapter cannot grant scoped credentials (see
   * {@link BusCapabilities#scopedCredentials()}).
   */
  BusCredentials grantWorkerAccess(String principal, String topic, String controlQueue);

  /**
   * Removes the principal and its rights, so that it can no longer connect; adapters close its open
   * connections where the broker allows. Absent is fine.
   */
  void revokeWorkerAccess(String principal);

  /** What this adapter guarantees; the contract test skips what an adapter declares it lacks. */
  BusCapabilities capabilities();

  /** A cheap liveness probe for health endpoints. */
  BusHealth health();

  @Override
  void close();
}
