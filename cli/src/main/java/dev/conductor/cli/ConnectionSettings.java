package dev.conductor.cli;

import dev.conductor.api.client.CaFile;
import dev.conductor.api.client.ConductorClient;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the conductor is and how to authenticate: flag, then environment, then the current context
 * ({@code conductor login}), then what a local server recorded in its home, then defaults. A
 * context named by {@code --context} comes before the environment.
 */
public record ConnectionSettings(URI server, Optional<String> token, Optional<Path> caFile) {

  public static final String URL_VARIABLE = "CONDUCTOR_URL";
  public static final String TOKEN_VARIABLE = "CONDUCTOR_TOKEN";
  public static final String API_KEY_VARIABLE = "CONDUCTOR_API_KEY";
  public static final String HOME_VARIABLE = "CONDUCTOR_HOME";
  public static final String PORT_VARIABLE = "MICRONAUT_SERVER_PORT";
  public static final String TOKEN_FILE = "admin-token";
  public static final String CA_FILE_VARIABLE = "CONDUCTOR_CA_FILE";
  // The certificate a local conductor generated (conductor.tls.self-signed), as the server names
  // it.
  static final String SELF_SIGNED_CERT = "tls/self-signed.pem";
  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

  public ConnectionSettings(URI server, Optional<String> token) {
    this(server, token, Optional.empty());
  }

  /** A client of the conductor with these settings. */
  public ConductorClient client() {
    return new ConductorClient(
        server, token.orElse(null), "conductor-cli", caFile.map(CaFile::trusting).orElse(null));
  }

  /**
   * These settings with the CA file to trust for an https server: the flag, else {@code
   * CONDUCTOR_CA_FILE}, else for a server on this machine the certificate its home holds; none: the
   * JVM's trust store.
   *
   * @throws IllegalArgumentException if the file given is missing or holds no certificate
   */
  public ConnectionSettings withCaFile(@Nullable String flag, Map<String, String> environment) {
    Optional<Path> given = firstPresent(flag, environment.get(CA_FILE_VARIABLE)).map(Path::of);
    if (given.isPresent()) {
      CaFile.trusting(given.get()); // Refused now as a usage error, not at the first request.
      return new ConnectionSettings(server, token, given);
    }
    if (caFile.isPresent()) {
      return this;
    }
    Path local = home(environment).resolve(SELF_SIGNED_CERT);
    boolean onThisMachine =
        "https".equalsIgnoreCase(server.getScheme()) && LOOPBACK.contains(server.getHost());
    return onThisMachine && Files.isReadable(local)
        ? new ConnectionSettings(server, token, Optional.of(local))
        : this;
  }

  /**
   * @throws IllegalArgumentException if the server URL is not an absolute http(s) URL
   */
  public static ConnectionSettings resolve(
      @Nullable String serverFlag, @Nullable String tokenFlag, Map<String, String> environment) {
    return resolve(serverFlag, tokenFlag, null, environment);
  }

  /**
   * @throws IllegalArgumentException if the server URL is not an absolute http(s) URL
   * @throws InvalidInputException if {@code contextFlag} names no context
   */
  public static ConnectionSettings resolve(
      @Nullable String serverFlag,
      @Nullable String tokenFlag,
      @Nullable String contextFlag,
      Map<String, String> environment) {
    // A named context beats the environment, not the flags.
    Optional<String> givenServer = given(serverFlag, contextFlag, environment.get(URL_VARIABLE));
    Optional<String> givenToken = given(tokenFlag, contextFlag, environment.get(TOKEN_VARIABLE));
    Optional<Contexts.Context> context =
        contextFlag == null && givenServer.isPresent() && givenToken.isPresent()
            ? Optional.empty()
            : context(contextFlag, environment);
    URI server = serverUrl(givenServer, context, environment);
    // A context's token goes only to that context's conductor.
    Optional<String> contextToken =
        context.filter(c -> parseServerUrl(c.server()).equals(server)).map(Contexts.Context::token);
    Optional<String> token = givenToken.or(() -> contextToken);
    if (contextFlag == null) {
      token = token.or(() -> readTokenFile(home(environment).resolve(TOKEN_FILE)));
    }
    // As the token: a context's CA file only for that context's conductor.
    Optional<Path> contextCa =
        context
            .filter(c -> parseServerUrl(c.server()).equals(server))
            .flatMap(c -> Optional.ofNullable(c.caFile()))
            .map(Path::of);
    return new ConnectionSettings(server, token, contextCa);
  }

  /**
   * Settings for the tenant-facing job API: the bearer is the tenant's API key, from the flag, then
   * {@code CONDUCTOR_API_KEY}; empty when neither is set.
   *
   * @throws IllegalArgumentException if the server URL is not an absolute http(s) URL
   */
  public static ConnectionSettings forTenant(
      @Nullable String serverFlag, @Nullable String apiKeyFlag, Map<String, String> environment) {
    return forTenant(serverFlag, apiKeyFlag, null, environment);
  }

  public static ConnectionSettings forTenant(
      @Nullable String serverFlag,
      @Nullable String apiKeyFlag,
      @Nullable String contextFlag,
      Map<String, String> environment) {
    Optional<String> givenServer = given(serverFlag, contextFlag, environment.get(URL_VARIABLE));
    Optional<Contexts.Context> context =
        contextFlag == null && givenServer.isPresent()
            ? Optional.empty()
            : context(contextFlag, environment);
    return new ConnectionSettings(
        serverUrl(givenServer, context, environment),
        firstPresent(apiKeyFlag, environment.get(API_KEY_VARIABLE)));
  }

  /** The flag, else (unless a context is named) the environment's value. */
  private static Optional<String> given(
      @Nullable String flag, @Nullable String contextFlag, @Nullable String fromEnvironment) {
    return firstPresent(flag, contextFlag == null ? fromEnvironment : null);
  }

  /** Read only when flags and environment leave something open, or a context is named. */
  private static Optional<Contexts.Context> context(
      @Nullable String contextFlag, Map<String, String> environment) {
    return Contexts.load(home(environment)).select(contextFlag);
  }

  private static URI serverUrl(
      Optional<String> given, Optional<Contexts.Context> context, Map<String, String> environment) {
    String url =
        given
            .or(() -> context.map(Contexts.Context::server))
            .or(() -> RecordedServer.url(home(environment)))
            .orElseGet(
                () ->
                    "http://localhost:"
                        + firstPresent(environment.get(PORT_VARIABLE)).orElse("8080"));
    return parseServerUrl(url.strip());
  }

  /** The local server's home, which holds the generated operator token and the server's URL. */
  public static Path home(Map<String, String> environment) {
    return firstPresent(environment.get(HOME_VARIABLE))
        .map(Path::of)
        .orElseGet(() -> Path.of(System.getProperty("user.home"), ".conductor"));
  }

  /**
   * @throws IllegalArgumentException if {@code url} is not an absolute http(s) URL
   */
  public static URI parseServerUrl(String url) {
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
