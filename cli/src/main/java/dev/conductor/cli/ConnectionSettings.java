package dev.conductor.cli;

import dev.conductor.api.client.ConductorClient;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the conductor is and how to authenticate: flag, then environment, then what a local server
 * recorded in its home, then defaults.
 */
public record ConnectionSettings(URI server, Optional<String> token) {

  public static final String URL_VARIABLE = "CONDUCTOR_URL";
  public static final String TOKEN_VARIABLE = "CONDUCTOR_TOKEN";
  public static final String API_KEY_VARIABLE = "CONDUCTOR_API_KEY";
  public static final String HOME_VARIABLE = "CONDUCTOR_HOME";
  public static final String PORT_VARIABLE = "MICRONAUT_SERVER_PORT";
  public static final String TOKEN_FILE = "admin-token";

  /** A client of the conductor with these settings. */
  public ConductorClient client() {
    return new ConductorClient(server, token.orElse(null), "conductor-cli");
  }

  /**
   * @throws IllegalArgumentException if the server URL is not an absolute http(s) URL
   */
  public static ConnectionSettings resolve(
      @Nullable String serverFlag, @Nullable String tokenFlag, Map<String, String> environment) {
    return new ConnectionSettings(
        serverUrl(serverFlag, environment), token(tokenFlag, environment));
  }

  /**
   * Settings for the tenant-facing job API: the bearer is the tenant's API key, from the flag, then
   * {@code CONDUCTOR_API_KEY}; empty when neither is set.
   *
   * @throws IllegalArgumentException if the server URL is not an absolute http(s) URL
   */
  public static ConnectionSettings forTenant(
      @Nullable String serverFlag, @Nullable String apiKeyFlag, Map<String, String> environment) {
    return new ConnectionSettings(
        serverUrl(serverFlag, environment),
        firstPresent(apiKeyFlag, environment.get(API_KEY_VARIABLE)));
  }

  static URI serverUrl(@Nullable String flag, Map<String, String> environment) {
    String url =
        firstPresent(flag, environment.get(URL_VARIABLE))
            .or(() -> RecordedServer.url(home(environment)))
            .orElseGet(
                () ->
                    "http://localhost:"
                        + firstPresent(environment.get(PORT_VARIABLE)).orElse("8080"));
    return parseServerUrl(url.strip());
  }

  static Optional<String> token(@Nullable String flag, Map<String, String> environment) {
    return firstPresent(flag, environment.get(TOKEN_VARIABLE))
        .or(() -> readTokenFile(home(environment).resolve(TOKEN_FILE)));
  }

  /** The local server's home, which holds the generated operator token and the server's URL. */
  public static Path home(Map<String, String> environment) {
    return firstPresent(environment.get(HOME_VARIABLE))
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".conductor"));
  }

  private static URI parseServerUrl(String url) {
    String trimmed = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    URI uri;
    try {
      uri = URI.create(trimmed);
    } catch (IllegalArgumentException e) {
      throw invalidUrl(url);
    }
    if (uri.getHost() == null
        || !("http".equalsIgnoreCase(uri.getScheme())
            || "https".equalsIgnoreCase(uri.getScheme()))) {
      throw invalidUrl(url);
    }
    return uri;
  }

  private static IllegalArgumentException invalidUrl(String url) {
    return new IllegalArgumentException(
        "invalid server URL '" + url + "': expected http(s)://host:port");
  }

  private static Optional<String> readTokenFile(Path file) {
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return firstPresent(Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the operator token from " + file, e);
    }
  }

  private static Optional<String> firstPresent(@Nullable String... candidates) {
    for (String candidate : candidates) {
      if (candidate != null && !candidate.isBlank()) {
        return Optional.of(candidate.strip());
      }
    }
    return Optional.empty();
  }
}
