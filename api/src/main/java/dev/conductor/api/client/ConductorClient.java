package dev.conductor.api.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.api.v1.AuditPage;
import dev.conductor.api.v1.CreateOperatorRequest;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.CreatedOperator;
import dev.conductor.api.v1.CreatedTenant;
import dev.conductor.api.v1.InfoView;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.OperationPage;
import dev.conductor.api.v1.OperationView;
import dev.conductor.api.v1.OperatorView;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.RotatedKey;
import dev.conductor.api.v1.SecretsKeyRotation;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedBatch;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.api.v1.TenantPage;
import dev.conductor.api.v1.TenantView;
import dev.conductor.api.v1.UpdateTenantRequest;
import dev.conductor.api.v1.WorkerView;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.StringJoiner;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;

/**
 * The conductor's HTTP API (docs/api.md) as typed calls: the operator's with the admin token, the
 * job API's with a tenant's API key, whichever the bearer is. An error status becomes an {@link
 * ApiException} with the problem's detail; no exchange at all a {@link ServerUnreachableException}.
 */
public final class ConductorClient {

  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = ApiJson.mapper();

  /** The page size a paged tenant listing asks for unless told: the server's own default. */
  private static final int DEFAULT_PAGE_SIZE = 50;

  private final URI server;
  @Nullable private final String bearer;
  private final String userAgent;
  @Nullable private final SSLContext tls;

  /**
   * @param bearer the admin token or a tenant's API key; null sends no credential
   * @param userAgent names the caller in the server's logs
   */
  public ConductorClient(URI server, @Nullable String bearer, String userAgent) {
    this(server, bearer, userAgent, null);
  }

  /**
   * @param tls trusts an https server's certificate ({@link CaFile}); null: the JVM's trust store
   */
  public ConductorClient(
      URI server, @Nullable String bearer, String userAgent, @Nullable SSLContext tls) {
    this.server = server;
    this.bearer = bearer;
    this.userAgent = userAgent;
    this.tls = tls;
  }

  public URI server() {
    return server;
  }

  // Tenants (operator).

  public CreatedTenant createTenant(CreateTenantRequest request) {
    return call(post("/v1/tenants", request), CreatedTenant.class);
  }

  /** Which Conductor answers ({@code GET /info}, which needs no credential). */
  public InfoView info() {
    return call(get("/info"), InfoView.class);
  }

  /** Every live tenant by name, at once. */
  public List<TenantView> tenants() {
    return call(get("/v1/tenants"), listOf(TenantView.class));
  }

  /**
   * One page of live tenants by name; null filters are left out. It always sends {@code limit} (the
   * server's default page size when null), which is what asks the server for a page.
   */
  public TenantPage tenants(TenantFilter filter, @Nullable Integer limit, @Nullable String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "");
    addParameter(query, "status", filter.status());
    addParameter(query, "plan", filter.plan());
    addParameter(query, "namePrefix", filter.namePrefix());
    addParameter(query, "limit", String.valueOf(limit == null ? DEFAULT_PAGE_SIZE : limit));
    addParameter(query, "cursor", cursor);
    return call(get("/v1/tenants" + query), TenantPage.class);
  }

  public TenantView tenant(String name) {
    return call(get(tenantPath(name)), TenantView.class);
  }

  public StartedOperation deleteTenant(String name) {
    return call(new Request("DELETE", tenantPath(name), null), StartedOperation.class);
  }

  public StartedOperation retryTenant(String name) {
    return call(post(tenantPath(name) + "/retry", null), StartedOperation.class);
  }

  public PlanUpdate updateTenant(String name, UpdateTenantRequest update) {
    Answer answer = exchange(new Request("PATCH", tenantPath(name), write(update)));
    // 200 with the tenant, unchanged, when it is already on the plan; 202 with the update.
    return answer.status() == 202
        ? new PlanUpdate(read(answer.body(), type(StartedOperation.class)), null)
        : new PlanUpdate(null, read(answer.body(), type(TenantView.class)));
  }

  /** Starts an operation that reports what moving to the plan would change, changing nothing. */
  public StartedOperation previewTenantUpdate(String name, UpdateTenantRequest update) {
    return call(post(tenantPath(name) + "/preview", update), StartedOperation.class);
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
    return call(get(operationPath(id)), OperationView.class);
  }

  /** One page of every tenant's operations, newest first; null filters are left out. */
  public OperationPage operations(
      OperationFilter filter, @Nullable Integer limit, @Nullable String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    addParameter(query, "tenant", filter.tenant());
    addParameter(query, "kind", filter.kind());
    addParameter(query, "status", filter.status());
    addParameter(query, "since", filter.since());
    addParameter(query, "until", filter.until());
    addParameter(query, "limit", limit == null ? null : limit.toString());
    addParameter(query, "cursor", cursor);
    return call(get("/v1/operations" + query), OperationPage.class);
  }

  private static void addParameter(StringJoiner query, String name, @Nullable String value) {
    if (value != null && !value.isBlank()) {
      query.add(name + "=" + encode(value));
    }
  }

  public OperationView cancelOperation(String id) {
    return call(post(operationPath(id) + "/cancel", null), OperationView.class);
  }

  /**
   * Opens the operation's server-sent event stream ({@code progress} events with an {@link
   * dev.conductor.api.v1.EventView}, then {@code end} with an {@link
   * dev.conductor.api.v1.EndView}); the caller reads and closes it. The stream has no read timeout:
   * an operation may go quiet for as long as a step takes.
   *
   * @throws ApiException if the server refuses the stream
   */
  public InputStream operationEvents(String id) {
    return stream(operationPath(id) + "/events", "text/event-stream");
  }

  /** A GET whose answer the caller reads as it comes, with no read timeout. */
  private InputStream stream(String path, String accept) {
    HttpURLConnection connection = open(path, Duration.ZERO);
    connection.setRequestProperty("Accept", accept);
    try {
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        throw problem(status, errorBody(connection), connection.getHeaderField("Retry-After"));
      }
      return connection.getInputStream();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  // Admin (operator).

  /**
   * Opens a backup of the conductor's state ({@code GET /v1/admin/backup}, a zip); the caller reads
   * and closes it. No read timeout: the server writes the whole backup before it answers.
   *
   * @throws ApiException if the server refuses it
   */
  public InputStream backup() {
    return stream("/v1/admin/backup", "application/zip");
  }

  /** A new key for stored secrets, or every secret re-sealed under the configured one. */
  public SecretsKeyRotation rotateSecretsKey() {
    return call(post("/v1/admin/secrets-key/rotate", null), SecretsKeyRotation.class);
  }

  /** A named operator token with a role; the token is in the answer, once. */
  public CreatedOperator createOperator(CreateOperatorRequest request) {
    return call(post("/v1/admin/operators", request), CreatedOperator.class);
  }

  /** The built-in admin and every live named operator token; never a token. */
  public List<OperatorView> operators() {
    return call(get("/v1/admin/operators"), listOf(OperatorView.class));
  }

  /** Revokes a named operator token at once. */
  public void revokeOperator(String name) {
    exchange(new Request("DELETE", "/v1/admin/operators/" + segment(name), null));
  }

  /** One page of the audit log, newest first; null filters are left out. */
  public AuditPage audit(
      @Nullable String tenant,
      @Nullable String actor,
      @Nullable String since,
      @Nullable Integer limit,
      @Nullable String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    addParameter(query, "tenant", tenant);
    addParameter(query, "actor", actor);
    addParameter(query, "since", since);
    addParameter(query, "limit", limit == null ? null : limit.toString());
    addParameter(query, "cursor", cursor);
    return call(get("/v1/admin/audit" + query), AuditPage.class);
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
    return call(get("/v1/workers" + query), listOf(WorkerView.class));
  }

  /** One worker, live or ended. */
  public WorkerView worker(String id) {
    return call(get("/v1/workers/" + segment(id)), WorkerView.class);
  }

  public WorkerView drainWorker(String id) {
    return call(post("/v1/workers/" + segment(id) + "/drain", null), WorkerView.class);
  }

  /**
   * The worker's output as text, live or ended, on whichever runtime it runs.
   *
   * @param tail only its last lines; null: all
   */
  public String workerLogs(String id, @Nullable Integer tail) {
    String query = tail == null ? "" : "?tail=" + tail;
    return exchange(get("/v1/workers/" + segment(id) + "/logs" + query), "text/plain").body();
  }

  // Jobs (a tenant's API key).

  public SubmittedJob submitJob(SubmitJobRequest request) {
    return call(post("/v1/jobs", request), SubmittedJob.class);
  }

  /** Up to 1,000 jobs in one request; each has its own result, in order, whatever the others'. */
  public SubmittedBatch submitJobs(SubmitBatchRequest request) {
    return call(post("/v1/jobs/batch", request), SubmittedBatch.class);
  }

  public JobView job(String id) {
    return call(get(jobPath(id)), JobView.class);
  }

  /** The long-poll: answers when the job ends or after {@code wait}, whichever comes first. */
  public JobView awaitJob(String id, Duration wait) {
    // The answer may take the whole wait: the read timeout comes on top of it.
    return call(
        new Request(
            "GET", jobPath(id) + "?wait=" + wait.toSeconds() + "s", null, READ_TIMEOUT.plus(wait)),
        JobView.class);
  }

  /** One page of jobs, newest first; a null status, limit or cursor is left out of the query. */
  public JobPage jobs(@Nullable String status, @Nullable Integer limit, @Nullable String cursor) {
    return call(get("/v1/jobs" + pageQuery(status, limit, cursor)), JobPage.class);
  }

  /** One page of a tenant's jobs as the operator reads them, newest first. */
  public JobPage tenantJobs(
      String tenant, @Nullable String status, @Nullable Integer limit, @Nullable String cursor) {
    return call(
        get(tenantPath(tenant) + "/jobs" + pageQuery(status, limit, cursor)), JobPage.class);
  }

  /** A tenant's job as the operator reads it. */
  public JobView tenantJob(String tenant, String id) {
    return call(get(tenantPath(tenant) + "/jobs/" + segment(id)), JobView.class);
  }

  /** Submits a tenant's FAILED job again as a new job (operator). */
  public SubmittedJob rerunJob(String tenant, String id) {
    return call(
        post(tenantPath(tenant) + "/jobs/" + segment(id) + "/rerun", null), SubmittedJob.class);
  }

  private static String pageQuery(
      @Nullable String status, @Nullable Integer limit, @Nullable String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    addParameter(query, "status", status);
    addParameter(query, "limit", limit == null ? null : limit.toString());
    addParameter(query, "cursor", cursor);
    return query.toString();
  }

  public JobView cancelJob(String id) {
    return call(new Request("DELETE", jobPath(id), null), JobView.class);
  }

  // The exchange.

  /** One request: a method, a path under the server, and a JSON body or none. */
  private record Request(String method, String path, @Nullable String json, Duration readTimeout) {
    Request(String method, String path, @Nullable String json) {
      this(method, path, json, READ_TIMEOUT);
    }
  }

  /** A 2xx answer: its status and body. */
  private record Answer(int status, String body) {}

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

  private static Request get(String path) {
    return new Request("GET", path, null);
  }

  /** A POST with a JSON body; an action without one sends {@code {}}. */
  private static Request post(String path, @Nullable Object body) {
    return new Request("POST", path, body == null ? "{}" : write(body));
  }

  private <T> T call(Request request, Class<T> type) {
    return call(request, type(type));
  }

  private <T> T call(Request request, JavaType type) {
    return read(exchange(request).body(), type);
  }

  private static JavaType type(Class<?> type) {
    return JSON.getTypeFactory().constructType(type);
  }

  private static JavaType listOf(Class<?> element) {
    return JSON.getTypeFactory().constructCollectionType(List.class, element);
  }

  /**
   * Sends the request and reads the whole answer; a status other than 2xx is an {@link
   * ApiException}.
   *
   * <p>{@link HttpURLConnection}, not {@code java.net.http}: a CLI command is a fresh JVM, and an
   * {@code HttpClient} initialises TLS even for {@code http://} (~700 ms of a command's start,
   * docs/benchmarks.md). Only PATCH, which {@code HttpURLConnection} refuses, takes that cost.
   */
  private Answer exchange(Request request) {
    return exchange(request, "application/json");
  }

  /** The exchange, accepting this media type (errors come as problem+json whatever it is). */
  private Answer exchange(Request request, String accept) {
    if (request.method().equals("PATCH")) {
      return PatchSender.send(this, request);
    }
    HttpURLConnection connection = open(request.path(), request.readTimeout());
    connection.setRequestProperty("Accept", accept);
    try {
      connection.setRequestMethod(request.method());
      if (request.json() != null) {
        byte[] body = request.json().getBytes(StandardCharsets.UTF_8);
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        // Streamed with a known length: the JDK then never re-sends a POST on its own after a
        // dropped keep-alive connection, which could submit a job twice.
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
          out.write(body);
        }
      }
      int status = connection.getResponseCode();
      if (status == 401 && request.json() != null) {
        // A streamed request's 401 comes without its body: the JDK drops the connection to spare
        // an authentication retry it could not make.
        throw new ApiException(401, "the server refused the credential (HTTP 401)", null);
      }
      if (status / 100 != 2) {
        throw problem(status, errorBody(connection), connection.getHeaderField("Retry-After"));
      }
      try (InputStream in = connection.getInputStream()) {
        return new Answer(status, new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw unreachable(e, request.readTimeout());
    }
  }

  /** A connection with the credential, redirects not followed (as the API never redirects). */
  private HttpURLConnection open(String path, Duration readTimeout) {
    try {
      HttpURLConnection connection =
          (HttpURLConnection) URI.create(server + path).toURL().openConnection();
      connection.setInstanceFollowRedirects(false);
      if (tls != null && connection instanceof HttpsURLConnection https) {
        https.setSSLSocketFactory(tls.getSocketFactory());
      }
      connection.setConnectTimeout((int) CONNECT_TIMEOUT.toMillis());
      connection.setReadTimeout((int) readTimeout.toMillis());
      connection.setUseCaches(false);
      if (bearer != null) {
        connection.setRequestProperty("Authorization", "Bearer " + bearer);
      }
      connection.setRequestProperty("User-Agent", userAgent);
      return connection;
    } catch (IOException | IllegalArgumentException e) {
      throw new ServerUnreachableException(server, "not an http(s) URL: " + e.getMessage(), e);
    }
  }

  /** The body of an error answer; empty when it has none. */
  private static String errorBody(HttpURLConnection connection) throws IOException {
    try (InputStream in = connection.getErrorStream()) {
      return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * PATCH through {@code java.net.http}, built on first use, so that only this verb pays its start.
   */
  private static final class PatchSender {
    private static final HttpClient HTTP =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    private static HttpClient trusting(SSLContext tls) {
      return HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(CONNECT_TIMEOUT)
          .sslContext(tls)
          .build();
    }

    static Answer send(ConductorClient client, Request request) {
      HttpRequest.Builder builder =
          HttpRequest.newBuilder(URI.create(client.server + request.path()))
              .timeout(request.readTimeout())
              .header("Accept", "application/json")
              .header("Content-Type", "application/json")
              .header("User-Agent", client.userAgent)
              .method(
                  request.method(),
                  HttpRequest.BodyPublishers.ofString(
                      Objects.requireNonNullElse(request.json(), "{}")));
      if (client.bearer != null) {
        builder.header("Authorization", "Bearer " + client.bearer);
      }
      try {
        HttpResponse<String> response =
            (client.tls == null ? HTTP : trusting(client.tls))
                .send(builder.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (response.statusCode() / 100 != 2) {
          throw problem(
              response.statusCode(),
              response.body(),
              response.headers().firstValue("Retry-After").orElse(null));
        }
        return new Answer(response.statusCode(), response.body());
      } catch (IOException e) {
        throw client.unreachable(e, request.readTimeout());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
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

  /** The exception for an exchange that failed before any answer. */
  private ServerUnreachableException unreachable(IOException failure) {
    return unreachable(failure, READ_TIMEOUT);
  }

  private ServerUnreachableException unreachable(IOException failure, Duration readTimeout) {
    String reason;
    if (failure instanceof HttpConnectTimeoutException
        || (failure instanceof SocketTimeoutException && isConnectTimeout(failure))) {
      reason = "connection timed out";
    } else if (failure instanceof HttpTimeoutException
        || failure instanceof SocketTimeoutException) {
      reason = "no answer within " + readTimeout.toSeconds() + "s";
    } else if (hasCause(failure, UnresolvedAddressException.class)
        || hasCause(failure, UnknownHostException.class)) {
      reason = "unknown host " + server.getHost();
    } else if (failure instanceof ConnectException) {
      reason = "connection refused";
    } else if (failure instanceof SSLHandshakeException) {
      reason = "its certificate is not trusted";
    } else {
      reason = firstMessage(failure);
    }
    return new ServerUnreachableException(server, reason, failure);
  }

  /** HttpURLConnection tells a connect timeout from a read timeout only by its message. */
  private static boolean isConnectTimeout(IOException failure) {
    String message = failure.getMessage();
    return message != null && message.toLowerCase(Locale.ROOT).contains("connect");
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
