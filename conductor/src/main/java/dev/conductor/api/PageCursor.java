package dev.conductor.api;

import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

/**
 * An opaque position in a newest-first listing ordered by (createdAt, id): the last row of a page,
 * handed back as {@code nextCursor} and taken as {@code cursor}.
 */
public record PageCursor(Instant createdAt, UUID id) {
  /** Rows per page unless the caller asks for another number. */
  public static final int DEFAULT_LIMIT = 50;

  public static final int MAX_LIMIT = 500;

  public String encode() {
    String raw = createdAt + "|" + id;
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null or blank is the first page. */
  public static @Nullable PageCursor decode(@Nullable String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = raw.indexOf('|');
      return new PageCursor(
          Instant.parse(raw.substring(0, bar)), UUID.fromString(raw.substring(bar + 1)));
    } catch (RuntimeException e) {
      throw new InvalidRequestException("cursor is not one this API returned");
    }
  }

  /** The page size a client asked for: 1 to {@link #MAX_LIMIT}, {@link #DEFAULT_LIMIT} if unset. */
  public static int limit(@Nullable String limit) {
    if (limit == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1 && value <= MAX_LIMIT) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new InvalidRequestException("limit must be a number from 1 to " + MAX_LIMIT);
  }
}
