package dev.conductor.api;

import io.micronaut.http.HttpStatus;

/**
 * A service the conductor reads the answer from (a cloud log service) failed or cannot be reached:
 * 503 with its one-line reason, an outage named rather than a server bug.
 */
public class UpstreamUnavailableException extends ApiException {
  public UpstreamUnavailableException(String message) {
    super(message);
  }

  @Override
  public HttpStatus status() {
    return HttpStatus.SERVICE_UNAVAILABLE;
  }
}
