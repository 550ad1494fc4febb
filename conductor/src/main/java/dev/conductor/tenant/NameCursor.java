package dev.conductor.tenant;

import dev.conductor.api.InvalidRequestException;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * An opaque position in the tenant listing ordered by name (unique among live tenants): the last
 * name of a page, handed back as {@code nextCursor} and taken as {@code cursor}.
 */
record NameCursor(String name) {
  private static final String PREFIX = "name|";

  String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((PREFIX + name).getBytes(StandardCharsets.UTF_8));
  }

  /** The cursor a client sent; null or blank is the first page. */
  static @Nullable NameCursor decode(@Nullable String cursor) {
    if (cursor == null || cursor.isBlank()) {
      return null;
    }
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (raw.startsWith(PREFIX) && raw.length() > PREFIX.length()) {
        return new NameCursor(raw.substring(PREFIX.length()));
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new InvalidRequestException("cursor is not one this API returned");
  }
}
