package dev.conductor.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.OperationView;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.RotatedKey;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.api.v1.TenantView;
import dev.conductor.api.v1.UpdateTenantRequest;
import dev.conductor.api.v1.WorkerView;
import jakarta.annotation.Nullable;
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
import java.util.List;
import java.util.StringJoiner;

/**
 * The conductor's HTTP API (docs/api.md) as typed calls: the operator's with the admin token, the
 * job API's with a tenant's API key, whichever the bearer is. An error status becomes an {@link
 * ApiException} with the problem's detail; no exchange at all a {@link ServerUnreachableException}.
 */
public final class ConductorClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = ApiJson.mapper();

  private final URI server;
  @Nullable private final String bearer;
  private final String userAgent;
  private final HttpClient http;

  /**
   * @param bearer the admin token or a tenant's API key; null sends no credential
   * @param userAgent names the caller in the server's logs
   */
  public ConductorClient(URI server, @Nullable String bearer, String userAgent) {
    this.server = server;
    this.bearer = bearer;
    this.userAgent = userAgent;
    // HTTP/1.1: the default HTTP/2 upgrade attempt on plain http buys nothing here.
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();
  }

  public URI server() {
    return server;
  }

  // Tenants (operator).

  public CreatedTenant createTenant(CreateTenantRequest request) {
    return call(post("/v1/tenants", request), CreatedTenant.class);
  }

  public List<TenantView> tenants() {
    return call(
        request("/v1/tenants").GET(),
        JSON.getTypeFactory().constructCollectionType(List.class, TenantView.class));
  }

  public TenantView tenant(String name) {
    return call(request(tenantPath(name)).GET(), TenantView.class);
  }

  public StartedOperation deleteTenant(String name) {
    return call(request(tenantPath(name)).DELETE(), StartedOperation.class);
  }

  public StartedOperation retryTenant(String name) {
    return call(post(tenantPath(name) + "/retry", null), StartedOperation.class);
  }

  public PlanUpdate updateTenant(String name, UpdateTenantRequest update) {
    HttpResponse<String> response =
        exchange(
            request(tenantPath(name))
                .header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(write(update))));
    // 200 with the tenant, unchanged, when it is already on the plan; 202 with the update.
    return response.statusCode() == 202
        ? new PlanUpdate(read(response.body(), type(StartedOperation.class)), null)
        : new PlanUpdate(null, read(response.body(), type(TenantView.class)));
  }

  public StartedOperation refreshTenant(String name) {
    return call(post(tenantPath(name) + "/refresh", null), StartedOperation.class);
  }

  public TenantView suspendTenant(String name) {
    return call(post(tenantPath(name) + "/suspend", null), TenantView.class);
  }

  public TenantView resumeTenant(String name) {
    return call(post(tenantPath(name) + "/resume", null), TenantView.class);
  }

  public RotatedKey rotateKey(String name) {
    return call(post(tenantPath(name) + "/api-keys", null), RotatedKey.class);
  }

  // Operations (operator).

  public OperationView operation(String id) {
    return call(request(operationPath(id)).GET(), OperationView.class);
  }

  public OperationView cancelOperation(String id) {
    return call(post(operationPath(id) + "/cancel", null), OperationView.class);
  }

  /**
   * Opens the operation's server-sent event stream ({@code progress} events with an {@link
   * dev.conductor.api.v1.EventView}, then {@code end} with an {@link
   * dev.conductor.api.v1.EndView}); the caller reads and closes it.
   *
   * @throws ApiException if the server refuses the stream
   */
  public InputStream operationEvents(String id) {
    HttpRequest request =
        authorized(HttpRequest.newBuilder(resolve(operationPath(id) + "/events")))
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

  // Workers (operator).

  /**
   * @param tenant only this tenant's workers; null: every tenant's
   * @param all whether to add the workers that ended
   */
  public List<WorkerView> workers(@Nullable String tenant, boolean all) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (tenant != null) {
      query.add("tenant=" + segment(tenant));
    }
    if (all) {
      query.add("all=true");
    }
    return call(
        request("/v1/workers" + query).GET(),
        JSON.getTypeFactory().constructCollectionType(List.class, WorkerView.class));
  }

  public WorkerView drainWorker(String id) {
    return call(post("/v1/workers/" + segment(id) + "/drain", null), WorkerView.class);
  }

  // Jobs (a tenant's API key).

  public SubmittedJob submitJob(SubmitJobRequest request) {
    return call(post("/v1/jobs", request), SubmittedJob.class);
  }

  public JobView job(String id) {
    return call(request(jobPath(id)).GET(), JobView.class);
  }

  /** The long-poll: answers when the job ends or after {@code wait}, whichever comes first. */
  public JobView awaitJob(String id, Duration wait) {
    return call(request(jobPath(id) + "?wait=" + wait.toSeconds() + "s").GET(), JobView.class);
  }

  /** One page of jobs, newest first; a null status, limit or cursor is left out of the query. */
  public JobPage jobs(@Nullable String status, @Nullable Integer limit, @Nullable String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (status != null) {
      query.add("status=" + encode(status));
    }
    if (limit != null) {
      query.add("limit=" + limit);
    }
    if (cursor != null && !cursor.isBlank()) {
      query.add("cursor=" + encode(cursor));
    }
    return call(request("/v1/jobs" + query).GET(), JobPage.class);
  }

  public JobView cancelJob(String id) {
    return call(request(jobPath(id)).DELETE(), JobView.class);
  }

  // The exchange.

  private static String tenantPath(String name) {
    return "/v1/tenants/" + segment(name);
  }

  private static String operationPath(String id) {
    return "/v1/operations/" + segment(id);
  }

  private static String jobPath(String id) {
    return "/v1/jobs/" + segment(id);
  }

  /** Percent-encodes one path segment, such as a tenant name typed by the user. */
  static String segment(String value) {
    return encode(value).replace("+", "%20");
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A POST with a JSON body; an action without one sends {@code {}}. */
  private HttpRequest.Builder post(String path, @Nullable Object body) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body == null ? "{}" : write(body)));
  }

  private HttpRequest.Builder request(String path) {
    return authorized(HttpRequest.newBuilder(resolve(path)))
        .timeout(REQUEST_TIMEOUT)
        .header("Accept", "application/json");
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder request) {
    if (bearer != null) {
      request.header("Authorization", "Bearer " + bearer);
    }
    return request.header("User-Agent", userAgent);
  }

  private URI resolve(String path) {
    return URI.create(server + path);
  }

  private <T> T call(HttpRequest.Builder request, Class<T> type) {
    return call(request, type(type));
  }

  private <T> T call(HttpRequest.Builder request, JavaType type) {
    return read(exchange(request).body(), type);
  }

  private static JavaType type(Class<?> type) {
    return JSON.getTypeFactory().constructType(type);
  }

  /** Sends the request; a status other than 2xx is an {@link ApiException}. */
  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpResponse<String> response =
        send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    if (response.statusCode() / 100 != 2) {
      throw problem(
          response.statusCode(),
          response.body(),
          response.headers().firstValue("Retry-After").orElse(null));
    }
    return response;
  }

  private <T> T read(String body, JavaType type) {
    try {
      T value = JSON.readValue(body, type);
      if (value == null) {
        throw new BadResponseException(notConductor("an empty answer"), null);
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new BadResponseException(notConductor("not JSON: " + e.getOriginalMessage()), e);
    }
  }

  private String notConductor(String why) {
    return "the server at " + server + " did not answer like a conductor (" + why + ")";
  }

  private static String write(Object body) {
    try {
      return JSON.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("cannot write the request as JSON", e);
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

  /** The exception for an exchange that failed before any answer. */
  private ServerUnreachableException unreachable(IOException failure) {
    String reason;
    if (failure instanceof HttpConnectTimeoutException) {
      reason = "connection timed out";
    } else if (failure instanceof HttpTimeoutException) {
      reason = "no answer within " + REQUEST_TIMEOUT.toSeconds() + "s";
    } else if (hasCause(failure, UnresolvedAddressException.class)
        || hasCause(failure, UnknownHostException.class)) {
      reason = "unknown host " + server.getHost();
    } else if (failure instanceof ConnectException) {
      reason = "connection refused";
    } else {
      reason = firstMessage(failure);
    }
    return new ServerUnreachableException(server, reason, failure);
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
  public static ApiException problem(int status, String body, @Nullable String retryAfter) {
    String message = null;
    try {
      Problem problem = JSON.readValue(body, Problem.class);
      if (problem != null) {
        message =
            problem.detail() == null || problem.detail().isBlank()
                ? problem.title()
                : problem.detail();
      }
    } catch (JsonProcessingException notJson) {
      // Not every error comes from the conductor itself (proxies, load balancers): use the status.
    }
    if (message == null || message.isBlank()) {
      message = "the server answered HTTP " + status;
    }
    return new ApiException(status, message, retryAfter(retryAfter, Instant.now()));
  }

  /** Retry-After as delay-seconds or an HTTP date; null when absent or unreadable. */
  @Nullable
  public static Duration retryAfter(@Nullable String header, Instant now) {
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
