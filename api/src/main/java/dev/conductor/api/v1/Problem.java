package dev.conductor.api.v1;

import jakarta.annotation.Nullable;

/** An RFC 9457 problem detail, the body of every error response. */
public record Problem(
    @Nullable String type, @Nullable String title, int status, @Nullable String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
}
