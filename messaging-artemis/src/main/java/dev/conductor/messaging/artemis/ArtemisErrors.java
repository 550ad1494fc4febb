package dev.conductor.messaging.artemis;

import dev.conductor.messaging.BusException;
import java.util.EnumSet;
import java.util.Set;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.ActiveMQInterruptedException;
import org.apache.activemq.artemis.api.core.ActiveMQSecurityException;

/** Turns Artemis failures into {@link BusException}s, flagging the ones worth retrying. */
final class ArtemisErrors {
  private static final Set<ActiveMQExceptionType> TRANSIENT =
      EnumSet.of(
          ActiveMQExceptionType.NOT_CONNECTED,
          ActiveMQExceptionType.CONNECTION_TIMEDOUT,
          ActiveMQExceptionType.DISCONNECTED,
          ActiveMQExceptionType.REMOTE_DISCONNECT,
          ActiveMQExceptionType.UNBLOCKED,
          ActiveMQExceptionType.OBJECT_CLOSED,
          ActiveMQExceptionType.IO_ERROR,
          ActiveMQExceptionType.TRANSACTION_ROLLED_BACK,
          ActiveMQExceptionType.TRANSACTION_OUTCOME_UNKNOWN,
          ActiveMQExceptionType.TRANSACTION_TIMEOUT,
          ActiveMQExceptionType.SESSION_CREATION_REJECTED,
          ActiveMQExceptionType.ADDRESS_FULL,
          ActiveMQExceptionType.SHUTDOWN_ERROR,
          ActiveMQExceptionType.TIMEOUT_EXCEPTION);

  private ArtemisErrors() {}

  /** {@code action} reads as "could not {action}", e.g. "send to queue 'jobs'". */
  static BusException wrap(String action, Throwable e) {
    if (e instanceof BusException bus) {
      return bus;
    }
    if (e instanceof InterruptedException || e instanceof ActiveMQInterruptedException) {
      Thread.currentThread().interrupt();
      return new BusException("interrupted while trying to " + action, true, e);
    }
    if (e instanceof ActiveMQSecurityException) {
      return new BusException("could not " + action + ": access denied: " + describe(e), false, e);
    }
    return new BusException("could not " + action + ": " + describe(e), isTransient(e), e);
  }

  static boolean isTransient(Throwable e) {
    return e instanceof ActiveMQException amq && TRANSIENT.contains(amq.getType());
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
