package dev.conductor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down guessing of tokens and API keys: a client address with too many failed authentications
 * in a window gets 429 with Retry-After, even with the right credential, until that window has
 * passed.
 */
@Singleton
public class FailedAuthThrottle {
  /** Beyond this many tracked addresses, expired windows are swept out. */
  private static final int SWEEP_ABOVE = 10_000;

  private final int maxFailures;
  private final Duration window;
  private final Clock clock;
  private final ErrorResponseProcessor<?> errors;
  private final Map<InetAddress, Failures> failures = new ConcurrentHashMap<>();

  private record Failures(Instant since, int count) {}

  FailedAuthThrottle(AuthSettings settings, Clock clock, ErrorResponseProcessor<?> errors) {
    this.maxFailures = settings.maxFailures();
    this.window = settings.failureWindow();
    this.clock = clock;
    this.errors = errors;
  }

  /** A 429 while the request's address is throttled, otherwise null. */
  @Nullable
  public MutableHttpResponse<?> refusal(HttpRequest<?> request) {
    InetAddress address = address(request);
    Failures current = failures.get(address);
    if (current == null) {
      return null;
    }
    Instant now = clock.instant();
    Instant end = current.since().plus(window);
    if (!now.isBefore(end)) {
      failures.remove(address, current);
      return null;
    }
    if (current.count() < maxFailures) {
      return null;
    }
    return errors.processResponse(
        ErrorContext.builder(request)
            .errorMessage(
                "too many failed authentication attempts from this address; try again later")
            .build(),
        HttpResponse.status(HttpStatus.TOO_MANY_REQUESTS)
            .header(HttpHeaders.RETRY_AFTER, RetryAfter.seconds(Duration.between(now, end))));
  }

  /** Counts one failed authentication of the request's address. */
  public void recordFailure(HttpRequest<?> request) {
    Instant now = clock.instant();
    failures.compute(
        address(request),
        (address, current) ->
            current == null || !now.isBefore(current.since().plus(window))
                ? new Failures(now, 1)
                : new Failures(current.since(), current.count() + 1));
    if (failures.size() > SWEEP_ABOVE) {
      failures.values().removeIf(entry -> !now.isBefore(entry.since().plus(window)));
    }
  }

  private static InetAddress address(HttpRequest<?> request) {
    return request.getRemoteAddress().getAddress();
  }
}
