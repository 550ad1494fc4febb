package dev.conductor.messaging.artemis;

import jakarta.annotation.Nullable;
import java.time.Duration;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;
import org.apache.activemq.artemis.api.core.client.ClientMessage;
import org.apache.activemq.artemis.api.core.client.ClientRequestor;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.management.ManagementHelper;
import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Broker management over CORE management messages, so it works against a remote broker as well as
 * the embedded one. The requestor cannot correlate replies, hence one call at a time and a fresh
 * reply queue after any timeout.
 */
final class ArtemisManagement implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArtemisManagement.class);
  static final String MANAGEMENT_ADDRESS = "activemq.management";

  private final ClientSessionFactory factory;
  private final String user;
  private final String password;
  private final long timeoutMillis;
  private @Nullable Channel channel;
  private boolean closed;

  ArtemisManagement(ClientSessionFactory factory, String user, String password, Duration timeout) {
    this.factory = factory;
    this.user = user;
    this.password = password;
    this.timeoutMillis = timeout.toMillis();
  }

  /** Invokes an operation on the broker control. */
  Object broker(String operation, Object... parameters) throws Exception {
    return invoke(ResourceNames.BROKER, operation, parameters);
  }

  /** Invokes an operation on one queue's control. */
  Object queue(String queue, String operation, Object... parameters) throws Exception {
    return invoke(ResourceNames.QUEUE + queue, operation, parameters);
  }

  private synchronized Object invoke(String resource, String operation, Object... parameters)
      throws Exception {
    if (closed) {
      throw new IllegalStateException("the message bus is closed");
    }
    ClientMessage reply;
    try {
      Channel open = open();
      // Durable, so the send blocks and a refused request fails now instead of timing out.
      ClientMessage request = open.session().createMessage(true);
      ManagementHelper.putOperationInvocation(request, resource, operation, parameters);
      reply = open.requestor().request(request, timeoutMillis);
    } catch (ActiveMQSecurityException e) {
      reset();
      ActiveMQSecurityException refused =
          new ActiveMQSecurityException(
              "user '" + user + "' may not use broker management (" + operation + ")");
      refused.initCause(e);
      throw refused;
    } catch (Exception e) {
      reset();
      throw e;
    }
    if (reply == null) {
      reset();
      throw new ActiveMQException(
          ActiveMQExceptionType.CONNECTION_TIMEDOUT,
          "no management reply for " + operation + " within " + timeoutMillis + " ms");
    }
    Object result = ManagementHelper.getResult(reply);
    if (!ManagementHelper.hasOperationSucceeded(reply)) {
      throw new IllegalStateException("broker refused " + operation + ": " + result);
    }
    return result;
  }

  private Channel open() throws Exception {
    Channel current = channel;
    if (current != null && !current.session().isClosed()) {
      return current;
    }
    ClientSession session = factory.createSession(user, password, false, true, true, false, 0);
    Channel opened;
    try {
      session.start();
      opened = new Channel(session, new ClientRequestor(session, MANAGEMENT_ADDRESS));
    } catch (Exception e) {
      session.close();
      throw e;
    }
    channel = opened;
    return opened;
  }

  private void reset() {
    Channel current = channel;
    channel = null;
    if (current == null) {
      return;
    }
    try {
      current.requestor().close();
    } catch (Exception e) {
      LOG.debug("closing the management requestor failed", e);
    }
    try {
      current.session().close();
    } catch (Exception e) {
      LOG.debug("closing the management session failed", e);
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    reset();
  }

  /** The open management session and the requestor on it, made and dropped together. */
  private record Channel(ClientSession session, ClientRequestor requestor) {}
}
