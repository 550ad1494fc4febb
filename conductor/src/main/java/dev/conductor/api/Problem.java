package dev.conductor.api;

import io.micronaut.serde.annotation.Serdeable;

/** An RFC 9457 problem detail, the body of every error response. */
@Serdeable
public record Problem(String type, String title, int status, String detail) {
  public static final String MEDIA_TYPE = "application/problem+json";
}
