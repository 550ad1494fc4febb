package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.client.ClientProducer;
import org.apache.activemq.artemis.api.core.client.ClientSession;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Non-transacted sessions with an anonymous producer for sends and queries. A ClientSession is not
 * thread-safe, so each caller borrows one for the length of a call; idle ones are kept for reuse.
 */
final class SessionPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionPool.class);
  private static final int MAX_IDLE = 8;

  record Lease(ClientSession session, ClientProducer producer) {}

  @FunctionalInterface
  interface Work<T> {
    T apply(Lease lease) throws Exception;
  }

  private final ClientSessionFactory factory;
  private final String user;
  private final String password;
  private final Deque<Lease> idle = new ConcurrentLinkedDeque<>();
  private volatile boolean closed;

  SessionPool(ClientSessionFactory factory, String user, String password) {
    this.factory = factory;
    this.user = user;
    this.password = password;
  }

  <T> T with(Work<T> work) throws Exception {
    Lease lease = borrow();
    T result;
    try {
      result = work.apply(lease);
    } catch (BusException expected) {
      release(lease);
      throw expected;
    } catch (Exception | Error e) {
      // A failed or interrupted call may leave a late reply behind: never reuse that session.
      closeQuietly(lease);
      throw e;
    }
    release(lease);
    return result;
  }

  private Lease borrow() throws ActiveMQException {
    if (closed) {
      throw new IllegalStateException("the message bus is closed");
    }
    Lease lease;
    while ((lease = idle.pollFirst()) != null) {
      if (!lease.session().isClosed()) {
        return lease;
      }
    }
    ClientSession session = factory.createSession(user, password, false, true, true, false, 0);
    try {
      return new Lease(session, session.createProducer());
    } catch (ActiveMQException | RuntimeException e) {
      session.close();
      throw e;
    }
  }

  private void release(Lease lease) {
    if (closed || idle.size() >= MAX_IDLE) {
      closeQuietly(lease);
    } else {
      idle.addFirst(lease);
    }
  }

  @Override
  public void close() {
    closed = true;
    Lease lease;
    while ((lease = idle.pollFirst()) != null) {
      closeQuietly(lease);
    }
  }

  private static void closeQuietly(Lease lease) {
    try {
      lease.session().close();
    } catch (ActiveMQException e) {
      LOG.debug("closing a pooled session failed", e);
    }
  }
}
