package dev.conductor.api.client;

/** The server answered, but not in the conductor's API format (wrong --server, or a proxy). */
public final class BadResponseException extends RuntimeException {

  public BadResponseException(String message, Throwable cause) {
    super(message, cause);
  }
}
