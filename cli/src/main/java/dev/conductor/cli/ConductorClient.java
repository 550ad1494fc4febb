package dev.conductor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** The conductor's operator HTTP API, as JSON in and out. */
public final class ConductorClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  private final ConnectionSettings settings;
  private final HttpClient http;

  public ConductorClient(ConnectionSettings settings) {
    this.settings = settings;
    // HTTP/1.1: the default HTTP/2 upgrade attempt on plain http buys nothing for a CLI.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  /** Percent-encodes one path segment, such as a tenant name typed by the user. */
  public static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  public URI server() {
    return settings.server();
  }

  public JsonNode get(String path) {
    return json(request(path).GET());
  }

  public JsonNode post(String path, JsonNode body) {
    return json(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  public JsonNode patch(String path, JsonNode body) {
    return json(
        request(path)
            .header("Content-Type", "application/json")
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body.toString())));
  }

  public JsonNode delete(String path) {
    return json(request(path).DELETE());
  }

  /**
   * Opens a server-sent event stream; the caller reads and closes it.
   *
   * @throws ApiException if the server refuses the stream
   */
  public InputStream stream(String path) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(resolve(path)))
            .header("Accept", "text/event-stream")
            .GET()
            .build();
    HttpResponse<InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() / 100 != 2) {
      try (InputStream body = response.body()) {
        throw problem(
            response.statusCode(),
            new String(body.readAllBytes(), StandardCharsets.UTF_8),
            response.headers().firstValue("Retry-After").orElse(null));
      } catch (IOException e) {
        throw unreachable(e);
      }
    }
    return response.body();
  }

  private HttpRequest.Builder request(String path) {
    return authorized(HttpRequest.newBuilder(resolve(path)))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    settings.token().ifPresent(token -> request.header("Authorization", "Bearer " + token));
    return request.header("User-Agent", "conductor-cli");
  }

  private URI resolve(String path) {
    return URI.create(settings.server() + path);
  }

  private JsonNode json(HttpRequest.Builder request) {
    HttpResponse<String> response =
        send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw problem(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Retry-After").orElse(null));
    }
    try {
      return Json.parse(response.body());
    } catch (IllegalArgumentException e) {
      throw new BadResponseException(
          "the server at "
              + settings.server()
              + " did not answer like a conductor ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  private <T> HttpResponse<T> send(HttpRequest request, BodyHandler<T> body) {
    try {
      return http.send(request, body);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  ServerUnreachableException unreachable(IOException failure) {
    String reason;
    if (failure instanceof HttpConnectTimeoutException) {
      reason = "connection timed out";
    } else if (failure instanceof HttpTimeoutException) {
      reason = "no answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
    } else if (hasCause(failure, UnresolvedAddressException.class)
        || hasCause(failure, UnknownHostException.class)) {
      reason = "unknown host " + settings.server().getHost();
    } else if (failure instanceof ConnectException) {
      reason = "connection refused";
    } else {
      reason = firstMessage(failure);
    }
    return new ServerUnreachableException(settings.server(), reason, failure);
  }

  private static boolean hasCause(Throwable failure, Class<? extends Throwable> type) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static String firstMessage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return failure.getClass().getSimpleName();
  }

  /**
   * Builds the error from an application/problem+json body, or from the status alone.
   *
   * @param retryAfter the {@code Retry-After} header, or null
   */
  static ApiException problem(int status, String body, String retryAfter) {
    String message = null;
    try {
      JsonNode problem = Json.parse(body);
      if (problem.isObject()) {
        message = Json.text(problem, "detail");
        if (message == null || message.isBlank()) {
          message = Json.text(problem, "title");
        }
      }
    } catch (IllegalArgumentException notJson) {
      // Not every error comes from the conductor itself (proxies, load balancers): use the status.
    }
    if (message == null || message.isBlank()) {
      message = "the server answered HTTP " + status;
    }
    return new ApiException(status, message, retryAfter(retryAfter, Instant.now()));
  }

  /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
  static Duration retryAfter(String header, Instant now) {
    if (header == null || header.isBlank()) {
      return null;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.strip())));
    } catch (NumberFormatException notSeconds) {
      // an HTTP date, then
    }
    try {
      Instant at =
          ZonedDateTime.parse(header.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration delay = Duration.between(now, at);
      return delay.isNegative() ? Duration.ZERO : delay;
    } catch (DateTimeParseException unreadable) {
      return null;
    }
  }
}
