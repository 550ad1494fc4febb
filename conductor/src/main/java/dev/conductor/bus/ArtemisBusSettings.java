package dev.conductor.bus;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.NotBlank;

/**
 * {@code conductor.bus.artemis.*}: the broker the conductor and its workers use. The launcher fills
 * these in for the embedded broker when no URL is configured.
 */
@ConfigurationProperties("conductor.bus.artemis")
public record ArtemisBusSettings(@NotBlank String url, @NotBlank String user, String password) {
  @Override
  public String toString() {
    return "ArtemisBusSettings[url=" + url + ", user=" + user + "]";
  }
}
