package dev.conductor.messaging.servicebus;

import com.azure.messaging.servicebus.ServiceBusErrorContext;
import com.azure.messaging.servicebus.ServiceBusProcessorClient;
import com.azure.messaging.servicebus.ServiceBusReceivedMessageContext;
import dev.conductor.messaging.MessageHandler;
import dev.conductor.messaging.Receiver;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Service Bus processor in peek-lock mode with auto-complete off, {@code maxConcurrentCalls} from
 * the receive options, no prefetch (a busy receiver never holds messages an idle one could take)
 * and lock renewal for up to {@link ServiceBusSettings#maxLockRenewal()} while a handler runs. The
 * processor reconnects on its own after transient faults, which it reports to {@link #onError}.
 *
 * <p>Closing hands every unsettled message back at once (abandon) rather than leaving it locked
 * until its lock expires, then closes the processor, waiting for it briefly: a handler still
 * running finishes on its own and its settlement is refused.
 */
final class ServiceBusReceiver implements Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceBusReceiver.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);
  private static final Duration MAX_EARLY = Duration.ofSeconds(1);

  private final String source;
  private final boolean deadLetters;
  private final MessageHandler handler;
  private final ServiceBusErrors errors;
  private final Consumer<ServiceBusReceiver> onClose;
  private final Set<ServiceBusDelivery> inFlight = ConcurrentHashMap.newKeySet();
  private volatile @Nullable ServiceBusProcessorClient processor;
  private volatile boolean closed;
  private volatile boolean failing;

  ServiceBusReceiver(
      String source,
      boolean deadLetters,
      MessageHandler handler,
      ServiceBusErrors errors,
      Consumer<ServiceBusReceiver> onClose) {
    this.source = source;
    this.deadLetters = deadLetters;
    this.handler = handler;
    this.errors = errors;
    this.onClose = onClose;
  }

  /** Builds the processor with this receiver's callbacks and starts it. */
  void start(
      Function<Consumer<ServiceBusReceivedMessageContext>, ServiceBusProcessorClient> build) {
    ServiceBusProcessorClient built = build.apply(this::onMessage);
    processor = built;
    built.start();
    LOG.debug("receiver started source={}", source);
  }

  void onMessage(ServiceBusReceivedMessageContext context) {
    ServiceBusDelivery delivery = new ServiceBusDelivery(context, source, deadLetters, errors);
    if (closed) {
      delivery.handBack();
      return;
    }
    if (failing) {
      failing = false;
      LOG.info("receiving again source={}", source);
    }
    inFlight.add(delivery);
    try {
      waitUntilDue(context.getMessage().getScheduledEnqueueTime());
      handler.handle(delivery);
      if (!delivery.isSettled()) {
        settleAfterReturn(delivery);
      }
    } catch (Throwable failure) {
      if (failure instanceof VirtualMachineError error) {
        throw error;
      }
      abandonAfterFailure(delivery, failure);
    } finally {
      inFlight.remove(delivery);
    }
  }

  void onError(ServiceBusErrorContext context) {
    if (closed) {
      return;
    }
    String error = errors.wrap("receive from " + source, context.getException()).getMessage();
    // Warn once per outage; the processor retries on its own.
    if (!failing) {
      failing = true;
      LOG.warn("receive failed, retrying source={} error=\"{}\"", source, error);
    } else {
      LOG.debug("receive failed again source={} error=\"{}\"", source, error);
    }
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (ServiceBusDelivery delivery : Set.copyOf(inFlight)) {
      delivery.handBack();
    }
    ServiceBusProcessorClient running = processor;
    if (running != null) {
      Thread closer = new Thread(running::close, "bus-receiver-close");
      closer.setDaemon(true);
      closer.start();
      try {
        closer.join(CLOSE_WAIT.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClose.accept(this);
    LOG.debug("receiver closed source={}", source);
  }

  private void settleAfterReturn(ServiceBusDelivery delivery) {
    try {
      delivery.complete();
    } catch (RuntimeException e) {
      if (closed) {
        LOG.debug(
            "handler returned after close source={} messageId={}", source, delivery.messageId());
      } else {
        LOG.warn(
            "complete failed, message will be delivered again source={} messageId={}",
            source,
            delivery.messageId(),
            e);
      }
    }
  }

  private void abandonAfterFailure(ServiceBusDelivery delivery, Throwable failure) {
    if (closed) {
      LOG.debug("handler ended after close source={} messageId={}", source, delivery.messageId());
      return;
    }
    LOG.warn(
        "handler failed source={} messageId={} deliveryCount={} error={}",
        source,
        delivery.messageId(),
        delivery.deliveryCount(),
        failure.toString());
    if (!delivery.isSettled()) {
      try {
        delivery.abandon();
      } catch (RuntimeException e) {
        LOG.debug("abandon failed source={} messageId={}", source, delivery.messageId(), e);
      }
    }
  }

  /**
   * Service Bus activates a scheduled message by its own clock; a local clock slightly ahead would
   * see it early, and "never early" is part of the contract.
   */
  private static void waitUntilDue(OffsetDateTime scheduled) throws InterruptedException {
    if (scheduled == null) {
      return;
    }
    long waitMillis = scheduled.toInstant().toEpochMilli() - System.currentTimeMillis();
    if (waitMillis > 0 && waitMillis <= MAX_EARLY.toMillis()) {
      Thread.sleep(waitMillis);
    }
  }
}
