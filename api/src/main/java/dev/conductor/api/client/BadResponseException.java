package dev.conductor.api.client;

import jakarta.annotation.Nullable;

/** The server answered, but not in the conductor's API format (wrong --server, or a proxy). */
public final class BadResponseException extends RuntimeException {

  public BadResponseException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
