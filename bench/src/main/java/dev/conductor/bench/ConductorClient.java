package dev.conductor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** The conductor's HTTP API as the benchmark uses it: java.net.http and Jackson, nothing else. */
final class ConductorClient {
  static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();
  private final URI base;
  private final String adminToken;

  ConductorClient(URI base, String adminToken) {
    this.base = base;
    this.adminToken = adminToken;
  }

  record Response(int status, JsonNode body) {}

  /** Onboards a tenant and returns its API key. */
  String createTenant(String name, String plan) {
    ObjectNode body = JSON.createObjectNode().put("name", name).put("plan", plan);
    Response response = send(post("/v1/tenants", adminToken, body));
    expect(202, response, "create tenant " + name);
    return response.body().get("apiKey").asText();
  }

  void awaitTenantReady(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Response response = send(get("/v1/tenants/" + name, adminToken));
      expect(200, response, "read tenant " + name);
      String status = response.body().path("status").asText();
      if (status.equals("READY")) {
        return;
      }
      if (status.equals("FAILED")) {
        throw new IllegalStateException("tenant " + name + " failed: " + response.body());
      }
      sleep(Duration.ofMillis(100));
    }
    throw new IllegalStateException("tenant " + name + " not READY within " + timeout);
  }

  /** Submits a job and returns its id; anything but 202 is an error. */
  String submit(String apiKey, String type, JsonNode payload, String affinityKey) {
    Response response = trySubmit(apiKey, type, payload, affinityKey);
    expect(202, response, "submit job");
    return response.body().get("id").asText();
  }

  Response trySubmit(String apiKey, String type, JsonNode payload, String affinityKey) {
    ObjectNode body = JSON.createObjectNode().put("type", type);
    body.set("payload", payload);
    if (affinityKey != null) {
      body.put("affinityKey", affinityKey);
    }
    return send(post("/v1/jobs", apiKey, body));
  }

  JsonNode job(String apiKey, String id) {
    Response response = send(get("/v1/jobs/" + id, apiKey));
    expect(200, response, "read job " + id);
    return response.body();
  }

  /** Long-polls until the job has ended (server side polling, 25 ms steps). */
  JsonNode awaitEnded(String apiKey, String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode job = job(apiKey, id);
    while (!ended(job) && System.nanoTime() < deadline) {
      Response response = send(get("/v1/jobs/" + id + "?wait=10s", apiKey));
      expect(200, response, "await job " + id);
      job = response.body();
    }
    if (!ended(job)) {
      throw new IllegalStateException("job " + id + " did not end within " + timeout + ": " + job);
    }
    return job;
  }

  /** Every job of the tenant with this status (null: all), newest first, 500 per page. */
  void forEachJob(String apiKey, String status, Consumer<JsonNode> action) {
    String cursor = null;
    do {
      StringBuilder path = new StringBuilder("/v1/jobs?limit=500");
      if (status != null) {
        path.append("&status=").append(status);
      }
      if (cursor != null) {
        path.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      }
      Response response = send(get(path.toString(), apiKey));
      expect(200, response, "list jobs");
      response.body().get("items").forEach(action);
      JsonNode next = response.body().get("nextCursor");
      cursor = next == null || next.isNull() ? null : next.asText();
    } while (cursor != null);
  }

  /** Whether the tenant has at least one job with this status. */
  boolean anyJob(String apiKey, String status) {
    Response response = send(get("/v1/jobs?limit=1&status=" + status, apiKey));
    expect(200, response, "list jobs");
    return !response.body().get("items").isEmpty();
  }

  /** The tenant's workers, including those that ended. */
  JsonNode workers(String tenant) {
    Response response = send(get("/v1/workers?all=true&tenant=" + tenant, adminToken));
    expect(200, response, "list workers");
    return response.body();
  }

  /**
   * Whether the job shows startedAt. A job can end without one: the worker's started and succeeded
   * reports are applied concurrently, and a started report applied after succeeded changes nothing.
   */
  static boolean started(JsonNode job) {
    return !job.path("startedAt").isMissingNode() && !job.path("startedAt").isNull();
  }

  static boolean ended(JsonNode job) {
    String status = job.path("status").asText();
    return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED");
  }

  /** A timestamp of the API: ISO-8601 text, or epoch seconds with a fraction. */
  static Instant instant(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return null;
    }
    if (node.isNumber()) {
      BigDecimal seconds = node.decimalValue();
      long whole = seconds.longValue();
      long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(whole, nanos);
    }
    return Instant.parse(node.asText());
  }

  private HttpRequest.Builder get(String path, String token) {
    return HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(70))
        .GET();
  }

  private HttpRequest.Builder post(String path, String token, JsonNode body) {
    try {
      return HttpRequest.newBuilder(base.resolve(path))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(30))
          .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = response.body();
      JsonNode json = body.length == 0 ? JSON.nullNode() : JSON.readTree(body);
      return new Response(response.statusCode(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private static void expect(int status, Response response, String what) {
    if (response.status() != status) {
      throw new IllegalStateException(what + ": HTTP " + response.status() + " " + response.body());
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
