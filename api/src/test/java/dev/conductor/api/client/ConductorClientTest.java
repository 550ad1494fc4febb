package dev.conductor.api.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.UpdateTenantRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The client against a plain JDK HTTP server that answers as a conductor would, or would not. */
@Timeout(30)
class ConductorClientTest {
  private static final String TENANT =
      "{\"name\":\"acme\",\"plan\":\"dev\",\"status\":\"READY\","
          + "\"createdAt\":\"2026-11-21T23:40:01.120Z\",\"updatedAt\":\"2026-11-21T23:40:01.530Z\","
          + "\"resources\":{}}";

  private final List<String> seen = new ArrayList<>();
  private HttpServer server;
  private volatile int status = 200;
  private volatile String contentType = "application/json";
  private volatile String body = TENANT;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange) throws IOException {
    String sent = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    synchronized (seen) {
      seen.add(
          exchange.getRequestMethod()
              + " "
              + exchange.getRequestURI()
              + " "
              + exchange.getRequestHeaders().getFirst("Authorization")
              + " "
              + sent);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", contentType);
    if (status == 429) {
      exchange.getResponseHeaders().add("Retry-After", "3");
    }
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  private ConductorClient client() {
    return new ConductorClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "token-1", "test");
  }

  @Test
  void sendsTheBearerAndEncodesPathSegments() {
    assertThat(client().tenant("a b").name()).isEqualTo("acme");
    body = "[]";
    assertThat(client().workers("acme", true)).isEmpty();

    assertThat(seen)
        .containsExactly(
            "GET /v1/tenants/a%20b Bearer token-1 ",
            "GET /v1/workers?tenant=acme&all=true Bearer token-1 ");
  }

  @Test
  void aWorkersLogIsTheTextAsSentNotJson() {
    contentType = "text/plain";
    body = "ready workerId=w-1\n[not json\n";

    assertThat(client().workerLogs("w-1", 2)).isEqualTo("ready workerId=w-1\n[not json\n");
    assertThat(client().workerLogs("w-1", null)).isEqualTo(body);

    assertThat(seen)
        .containsExactly(
            "GET /v1/workers/w-1/logs?tail=2 Bearer token-1 ",
            "GET /v1/workers/w-1/logs Bearer token-1 ");
  }

  @Test
  void aPlanUpdateIsTheStartedOperationOrTheUnchangedTenant() {
    PlanUpdate unchanged = client().updateTenant("acme", new UpdateTenantRequest("dev"));
    assertThat(unchanged.started()).isNull();
    assertThat(unchanged.unchanged().plan()).isEqualTo("dev");

    status = 202;
    body =
        "{\"name\":\"acme\",\"status\":\"UPDATING\",\"operationId\":\"op-1\","
            + "\"targetPlan\":\"standard\"}";
    PlanUpdate started = client().updateTenant("acme", new UpdateTenantRequest("standard"));
    assertThat(started.unchanged()).isNull();
    assertThat(started.started().targetPlan()).isEqualTo("standard");
    assertThat(seen).last().asString().endsWith("{\"plan\":\"standard\"}");
  }

  @Test
  void anErrorStatusIsAnApiExceptionWithTheProblemsDetail() {
    status = 429;
    contentType = "application/problem+json";
    body =
        "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,\"detail\":\"slow\"}";

    assertThatThrownBy(() -> client().job("j-1"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(429);
              assertThat(e.getMessage()).isEqualTo("slow");
              assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
            });
  }

  @Test
  void aRefusedCredentialOnAPostIsTheApis401() {
    status = 401;
    contentType = "application/problem+json";
    body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"invalid admin token\"}";

    assertThatThrownBy(() -> client().suspendTenant("acme"))
        .isInstanceOfSatisfying(
            ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(401);
              assertThat(e.getMessage()).isEqualTo("the server refused the credential (HTTP 401)");
            });
    assertThat(seen).containsExactly("POST /v1/tenants/acme/suspend Bearer token-1 {}");
  }

  @Test
  void aGetsRefusedCredentialCarriesTheProblemsDetail() {
    status = 401;
    contentType = "application/problem+json";
    body = "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"invalid admin token\"}";

    assertThatThrownBy(() -> client().tenants())
        .isInstanceOfSatisfying(
            ApiException.class, e -> assertThat(e.getMessage()).isEqualTo("invalid admin token"));
  }

  @Test
  void aPostIsSentOnceWithItsBodyAndARedirectIsNotFollowed() {
    status = 307;
    body = "";
    assertThatThrownBy(
            () -> client().submitJob(new SubmitJobRequest("echo", null, null, null, null)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(307));

    assertThat(seen)
        .singleElement()
        .asString()
        .startsWith("POST /v1/jobs Bearer token-1 {\"type\":\"echo\"");
  }

  @Test
  void theEventStreamIsReadAsItArrives() throws IOException {
    contentType = "text/event-stream";
    body = "event: end\ndata: {}\n\n";

    try (InputStream events = client().operationEvents("op-1")) {
      assertThat(new String(events.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(body);
    }
    assertThat(seen).containsExactly("GET /v1/operations/op-1/events Bearer token-1 ");
  }

  @Test
  void anAnswerThatIsNotTheApisJsonIsABadResponse() {
    contentType = "text/html";
    body = "<html>a proxy</html>";

    assertThatThrownBy(() -> client().tenants())
        .isInstanceOf(BadResponseException.class)
        .hasMessageStartingWith("the server at http://127.0.0.1:")
        .hasMessageContaining("did not answer like a conductor");
  }

  @Test
  void noServerIsUnreachable() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    ConductorClient nowhere =
        new ConductorClient(URI.create("http://127.0.0.1:" + closed), null, "test");

    assertThatThrownBy(nowhere::tenants)
        .isInstanceOf(ServerUnreachableException.class)
        .hasMessage(
            "cannot reach the conductor at http://127.0.0.1:" + closed + " (connection refused)");
  }
}
