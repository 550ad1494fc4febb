package dev.conductor.messaging.servicebus;

import com.azure.core.amqp.exception.AmqpException;
import com.azure.core.exception.ClientAuthenticationException;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceExistsException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.messaging.servicebus.ServiceBusException;
import com.azure.messaging.servicebus.ServiceBusFailureReason;
import dev.conductor.messaging.BusException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import reactor.core.Exceptions;

/**
 * Turns Service Bus SDK failures into {@link BusException}s, in one place: which are transient
 * (throttling {@code ServerBusy}/50009, timeouts, lost connections; the SDK has already retried
 * them with bounded backoff, so the caller may try again later), which mean "not found", "already
 * exists" or "access denied". Messages never carry a key or a connection string: the SDK's own
 * messages are scrubbed of {@code SharedAccessKey=}, SAS signatures and this bus's key.
 */
final class ServiceBusErrors {
  private static final Set<ServiceBusFailureReason> TRANSIENT_REASONS =
      Set.of(
          ServiceBusFailureReason.SERVICE_BUSY,
          ServiceBusFailureReason.SERVICE_TIMEOUT,
          ServiceBusFailureReason.SERVICE_COMMUNICATION_ERROR,
          ServiceBusFailureReason.MESSAGE_LOCK_LOST,
          ServiceBusFailureReason.SESSION_LOCK_LOST);
  private static final Set<Integer> TRANSIENT_STATUS = Set.of(408, 429, 500, 502, 503, 504);
  private static final List<Pattern> SECRET_PATTERNS =
      List.of(
          Pattern.compile("(?i)(SharedAccessKey\\s*=\\s*)[^;\\s\"']+"),
          Pattern.compile("(?i)(SharedAccessSignature\\s+)[^\\s\"']+"),
          Pattern.compile("(?i)([?&;]sig=)[^&\\s\"']+"));
  static final String HIDDEN = "****";

  private final String keyName;
  private final String key;

  /** {@code keyName} names the principal in refusals; {@code key} is scrubbed from messages. */
  ServiceBusErrors(String keyName, String key) {
    this.keyName = keyName;
    this.key = key;
  }

  /** {@code action} reads as "could not {action}", e.g. "send message 'm' to 'jobs'". */
  BusException wrap(String action, Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof BusException bus) {
      return bus;
    }
    if (e instanceof InterruptedException) {
      Thread.currentThread().interrupt();
      return new BusException("interrupted while trying to " + action, true, null);
    }
    if (isAccessDenied(e)) {
      return new BusException(
          "could not " + action + ": access denied for '" + keyName + "': " + describe(e),
          false,
          null);
    }
    if (isNotFound(e)) {
      return new BusException("could not " + action + ": not found: " + describe(e), false, null);
    }
    // The SDK's exception is not kept as the cause: its message and its causes' may hold a token.
    return new BusException("could not " + action + ": " + describe(e), isTransient(e), null);
  }

  static boolean isTransient(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof ServiceBusException sb) {
      return sb.isTransient() || TRANSIENT_REASONS.contains(sb.getReason());
    }
    if (e instanceof AmqpException amqp) {
      return amqp.isTransient();
    }
    if (e instanceof HttpResponseException http) {
      return http.getResponse() != null
          && TRANSIENT_STATUS.contains(http.getResponse().getStatusCode());
    }
    return e instanceof TimeoutException
        || e instanceof IOException
        || e instanceof UncheckedIOException
        || (e.getCause() != null && e.getCause() != e && isTransient(e.getCause()));
  }

  static boolean isNotFound(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof ServiceBusException sb) {
      return sb.getReason() == ServiceBusFailureReason.MESSAGING_ENTITY_NOT_FOUND;
    }
    return e instanceof ResourceNotFoundException || hasStatus(e, 404);
  }

  static boolean isAlreadyExists(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof ServiceBusException sb) {
      return sb.getReason() == ServiceBusFailureReason.MESSAGING_ENTITY_ALREADY_EXISTS;
    }
    return e instanceof ResourceExistsException || hasStatus(e, 409);
  }

  static boolean isMessageNotFound(Throwable failure) {
    return unwrap(failure) instanceof ServiceBusException sb
        && sb.getReason() == ServiceBusFailureReason.MESSAGE_NOT_FOUND;
  }

  static boolean isAccessDenied(Throwable failure) {
    Throwable e = unwrap(failure);
    if (e instanceof ServiceBusException sb) {
      return sb.getReason() == ServiceBusFailureReason.UNAUTHORIZED;
    }
    return e instanceof ClientAuthenticationException || hasStatus(e, 401) || hasStatus(e, 403);
  }

  /** The message without keys, signatures or connection-string secrets. */
  String scrub(String message) {
    String scrubbed = message;
    for (Pattern pattern : SECRET_PATTERNS) {
      scrubbed = pattern.matcher(scrubbed).replaceAll("$1" + HIDDEN);
    }
    if (key != null && !key.isEmpty()) {
      scrubbed = scrubbed.replace(key, HIDDEN);
    }
    return scrubbed;
  }

  private String describe(Throwable e) {
    String message = e.getMessage();
    String text = message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    return scrub(text.strip());
  }

  private static boolean hasStatus(Throwable e, int status) {
    return e instanceof HttpResponseException http
        && http.getResponse() != null
        && http.getResponse().getStatusCode() == status;
  }

  /** Reactor wraps checked exceptions when the SDK's synchronous clients block. */
  private static Throwable unwrap(Throwable failure) {
    Throwable e = Exceptions.unwrap(failure);
    while (e.getCause() != null
        && e.getCause() != e
        && (e.getClass() == RuntimeException.class
            || e instanceof java.util.concurrent.ExecutionException
            || e instanceof java.util.concurrent.CompletionException)) {
      e = e.getCause();
    }
    return e;
  }
}
