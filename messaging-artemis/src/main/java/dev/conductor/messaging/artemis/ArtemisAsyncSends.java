package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusException;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.SendAcknowledgementHandler;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends that do not wait for the broker: one session whose every send the broker answers once it
 * has stored the message, on a callback. It has a connection of its own, opened on first use,
 * because the confirmation window that makes the broker answer also changes how a session
 * reattaches after a failure, which the bus's other sessions must not.
 */
final class ArtemisAsyncSends implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisAsyncSends.class);
  private static final int CONFIRMATION_WINDOW_BYTES = 1024 * 1024;

  /** A new locator for the bus's URL (whose query may carry key-store passwords: never logged). */
  private final Callable<ServerLocator> locate;

  private final String user;
  private final String password;
  private final Duration timeout;
  private @Nullable ServerLocator locator;
  private @Nullable ClientSessionFactory factory;
  private @Nullable ClientSession session;
  private @Nullable ClientProducer producer;
  private boolean closed;

  ArtemisAsyncSends(
      Callable<ServerLocator> locate, String user, String password, Duration timeout) {
    this.locate = locate;
    this.user = user;
    this.password = password;
    this.timeout = timeout;
  }

  /**
   * Sends the message {@code build} makes on this session; the future fails with a transient {@link
   * BusException} if the broker has not answered within the timeout (a lost connection).
   */
  CompletableFuture<Void> send(
      String destination,
      Function<ClientSession, ClientMessage> build,
      String action,
      Runnable onMissingDestination) {
    CompletableFuture<Void> stored = new CompletableFuture<>();
    synchronized (this) {
      try {
        ClientProducer open = open();
        ClientMessage out = build.apply(session());
        open.send(
            SimpleString.of(destination),
            out,
            new SendAcknowledgementHandler() {
              @Override
              public void sendAcknowledged(Message message) {
                stored.complete(null);
              }

              @Override
              public void sendFailed(Message message, Exception e) {
                if (e instanceof ActiveMQException failure
                    && failure.getType() == ActiveMQExceptionType.ADDRESS_DOES_NOT_EXIST) {
                  onMissingDestination.run();
                  stored.completeExceptionally(
                      new BusException(
                          "destination '" + destination + "' does not exist", false, e));
                  return;
                }
                stored.completeExceptionally(ArtemisErrors.wrap(action, e));
              }
            });
      } catch (Exception e) {
        closeQuietly();
        return CompletableFuture.failedFuture(ArtemisErrors.wrap(action, e));
      }
    }
    CompletableFuture<Void> answered = new CompletableFuture<>();
    stored
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete(
            (done, failure) -> {
              if (failure == null) {
                answered.complete(null);
              } else if (failure instanceof TimeoutException) {
                answered.completeExceptionally(
                    new BusException(
                        "could not "
                            + action
                            + ": the broker did not confirm it within "
                            + timeout.toSeconds()
                            + " s",
                        true,
                        failure));
              } else {
                answered.completeExceptionally(failure);
              }
            });
    return answered;
  }

  private ClientProducer open() throws Exception {
    if (closed) {
      throw new IllegalStateException("the message bus is closed");
    }
    ClientProducer open = producer;
    ClientSession current = session;
    if (open != null && current != null && !current.isClosed()) {
      return open;
    }
    closeQuietly();
    ServerLocator created = locate.call();
    created.setConfirmationWindowSize(CONFIRMATION_WINDOW_BYTES);
    locator = created;
    ClientSessionFactory connected = created.createSessionFactory();
    factory = connected;
    ClientSession opened = connected.createSession(user, password, false, true, true, false, 0);
    session = opened;
    ClientProducer made = opened.createProducer();
    producer = made;
    return made;
  }

  private ClientSession session() {
    ClientSession current = session;
    if (current == null) {
      throw new IllegalStateException("no session open");
    }
    return current;
  }

  @Override
  public synchronized void close() {
    closed = true;
    closeQuietly();
  }

  private void closeQuietly() {
    try {
      if (session != null) {
        session.close();
      }
    } catch (ActiveMQException e) {
      LOG.debug("closing the async send session failed", e);
    }
    if (factory != null) {
      factory.close();
    }
    if (locator != null) {
      locator.close();
    }
    session = null;
    producer = null;
    factory = null;
    locator = null;
  }
}
