package dev.conductor.cli.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The operator HTTP API of a running conductor, for tests that drive it without the CLI. */
final class ConductorApi {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI server;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  ConductorApi(URI server, String token) {
    this.server = server;
    this.token = token;
  }

  JsonNode get(String path) {
    return send(request(path).GET(), 200);
  }

  JsonNode post(String path, JsonNode body, int expectedStatus) {
    return send(
        request(path)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString())),
        expectedStatus);
  }

  static JsonNode object(String... fieldsAndValues) {
    var node = JSON.createObjectNode();
    for (int i = 0; i < fieldsAndValues.length; i += 2) {
      node.put(fieldsAndValues[i], fieldsAndValues[i + 1]);
    }
    return node;
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(server.resolve(path))
        .timeout(Duration.ofSeconds(30))
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
    HttpRequest built = request.build();
    try {
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != expectedStatus) {
        throw new AssertionError(
            built.method()
                + " "
                + built.uri()
                + " answered "
                + response.statusCode()
                + " instead of "
                + expectedStatus
                + ": "
                + response.body());
      }
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
