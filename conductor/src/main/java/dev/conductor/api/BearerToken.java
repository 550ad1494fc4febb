package dev.conductor.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;

/** Reads the token of an {@code Authorization: Bearer} header. */
public final class BearerToken {
  private static final String PREFIX = "Bearer ";

  private BearerToken() {}

  /** The token, or null when the header is missing, of another scheme, or empty. */
  public static @Nullable String from(HttpRequest<?> request) {
    String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
    if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      return null;
    }
    String token = header.substring(PREFIX.length()).trim();
    return token.isEmpty() ? null : token;
  }
}
