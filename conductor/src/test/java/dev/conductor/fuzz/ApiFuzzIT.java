package dev.conductor.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random requests against a running conductor, over every endpoint's path, query, headers and body,
 * with no, wrong, tenant and operator credentials: none gets a 5xx or hangs past its timeout, every
 * refusal on the API is a problem+json, and a refused request changes nothing stored. jqwik prints
 * each run's seed; a failing one is replayed with {@code -Djqwik.seeds.whenfixed=...} or by putting
 * the printed seed on {@code @Property(seed = ...)}.
 */
class ApiFuzzIT {
  private static final Duration TIMEOUT = Duration.ofSeconds(20);
  private static final String TENANT = "fuzz-steady";
  private static RunningConductor conductor;
  private static String apiKey;
  private static String jobId;
  private static String operationId;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeContainer
  static void start() {
    conductor = RunningConductor.start(FastTimers.properties());
    apiKey = conductor.onboard(TENANT, "dev");
    jobId = conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    conductor.awaitJobEnded(apiKey, jobId, Duration.ofSeconds(90));
    operationId = conductor.tenant(TENANT).get("operationId").asText();
  }

  @AfterContainer
  static void stop() {
    if (conductor != null) {
      conductor.close();
    }
  }

  /** One request a client could send, good or bad. */
  record Attempt(
      String method,
      String path,
      String query,
      Optional<String> contentType,
      String body,
      Credential credential) {
    @Override
    public String toString() {
      String shown =
          body.length() > 200 ? body.substring(0, 200) + "…(" + body.length() + ")" : body;
      return method
          + " "
          + path
          + query
          + " ["
          + credential
          + ", "
          + contentType.orElse("no type")
          + "] "
          + shown;
    }
  }

  enum Credential {
    NONE,
    WRONG,
    TENANT_KEY,
    OPERATOR
  }

  @Property(tries = 300)
  void noRequestGetsA5xxOrHangsAndARefusedOneChangesNothing(@ForAll("attempts") Attempt attempt)
      throws Exception {
    String before = snapshot();

    HttpResponse<String> response = send(attempt);

    assertThat(response.statusCode()).as(attempt + " → " + response.body()).isLessThan(500);
    if (response.statusCode() >= 400) {
      if (attempt.path().startsWith("/v1") && !attempt.method().equals("HEAD")) {
        assertThat(response.headers().firstValue("Content-Type"))
            .as(attempt + " → " + response.statusCode())
            .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
      }
      assertThat(snapshot()).as("refused " + attempt + " changed what is stored").isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<Attempt> attempts() {
    return Combinators.combine(
            Arbitraries.of(
                "GET", "GET", "POST", "POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS"),
            paths(),
            queries(),
            Arbitraries.of(
                    "application/json",
                    "application/json",
                    "application/json; charset=ISO-8859-1",
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data; boundary=x",
                    "application/json\u0000",
                    "")
                .map(type -> type.isEmpty() ? Optional.<String>empty() : Optional.of(type)),
            bodies(),
            Arbitraries.of(Credential.class))
        .as(Attempt::new);
  }

  private Arbitrary<String> paths() {
    Arbitrary<String> tenant =
        Arbitraries.oneOf(
            Arbitraries.just(TENANT),
            Arbitraries.of(
                "nobody",
                "UPPER",
                "-lead",
                "a",
                "x".repeat(200),
                "..",
                "%2e%2e",
                "%00",
                "ünï",
                "a%2Fb",
                "a b"),
            Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(12));
    Arbitrary<String> id =
        Arbitraries.oneOf(
            Arbitraries.create(() -> jobId),
            Arbitraries.create(() -> operationId),
            Arbitraries.create(() -> UUID.randomUUID().toString()),
            Arbitraries.of(
                "not-a-uuid",
                "0",
                "-1",
                "%ff",
                "x".repeat(300),
                "00000000-0000-0000-0000-000000000000"));
    Arbitrary<String> template =
        Arbitraries.of(
            "/v1/tenants",
            "/v1/tenants/{t}",
            "/v1/tenants/{t}/refresh",
            "/v1/tenants/{t}/retry",
            "/v1/tenants/{t}/suspend",
            "/v1/tenants/{t}/resume",
            "/v1/tenants/{t}/rotate-key",
            "/v1/tenants/{t}/preview",
            "/v1/tenants/{t}/jobs",
            "/v1/tenants/{t}/jobs/{id}",
            "/v1/tenants/{t}/jobs/{id}/rerun",
            "/v1/operations",
            "/v1/operations/{id}",
            "/v1/operations/{id}/cancel",
            "/v1/operations/{id}/events",
            "/v1/jobs",
            "/v1/jobs/{id}",
            "/v1/jobs/batch",
            "/v1/workers",
            "/v1/workers/{id}",
            "/v1/workers/{id}/drain",
            "/v1/workers/{id}/logs",
            "/v1/nothing/here",
            "/v2/tenants",
            "/health",
            "/info",
            "/metrics",
            "/");
    return Combinators.combine(template, tenant, id)
        .as((t, name, i) -> t.replace("{t}", name).replace("{id}", i));
  }

  private Arbitrary<String> queries() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            Arbitraries.of(
                "",
                "1",
                "0",
                "-5",
                "501",
                "99999999999",
                "READY",
                "failed",
                "PROVISION",
                "2h",
                "30s",
                "2026-12-07T10:00:00Z",
                "yesterday",
                "%ff",
                "a%00b",
                "x".repeat(2000)),
            Arbitraries.strings().ofMaxLength(20));
    Arbitrary<String> pair =
        Combinators.combine(
                Arbitraries.of(
                    "status", "limit", "cursor", "wait", "tail", "since", "until", "tenant", "kind",
                    "all", "x"),
                value)
            .as((k, v) -> k + "=" + java.net.URLEncoder.encode(v, StandardCharsets.UTF_8));
    return pair.list()
        .ofMaxSize(3)
        .map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
  }

  private Arbitrary<String> bodies() {
    Arbitrary<String> text =
        Arbitraries.oneOf(
            Arbitraries.of("", "x", "-1", "0", "null", "true", "\"\u0000\"", "ünï", "a".repeat(70)),
            Arbitraries.strings().ofMaxLength(30));
    Arbitrary<String> jsonValue =
        Arbitraries.oneOf(
            text.map(t -> '"' + t.replace("\\", "\\\\").replace("\"", "\\\"") + '"'),
            Arbitraries.of("null", "1", "-1", "1e308", "[]", "{}", "[1,2]", "{\"a\":{}}"));
    Arbitrary<String> field =
        Combinators.combine(
                Arbitraries.of(
                    "name",
                    "plan",
                    "type",
                    "payload",
                    "affinityKey",
                    "idempotencyKey",
                    "location",
                    "jobs",
                    "message",
                    "extra"),
                jsonValue)
            .as((k, v) -> '"' + k + "\":" + v);
    Arbitrary<String> object = field.list().ofMaxSize(4).map(f -> "{" + String.join(",", f) + "}");
    return Arbitraries.oneOf(
        Arbitraries.just(""),
        object,
        object.map(o -> "{\"jobs\":[" + o + "," + o + "]}"),
        Arbitraries.of(
            "{",
            "[",
            "{\"name\":",
            "{\"name\":\"a\"}}",
            "\u0000\u0001",
            "[1,2,3]",
            "{\"type\":\"echo\",\"payload\":" + "[".repeat(5000) + "]".repeat(5000) + "}",
            "{\"name\":\"" + "x".repeat(1_500_000) + "\"}"),
        Arbitraries.strings().ofMaxLength(200));
  }

  private HttpResponse<String> send(Attempt attempt) throws IOException, InterruptedException {
    URI uri;
    try {
      uri = URI.create(conductor.url() + attempt.path() + attempt.query());
    } catch (IllegalArgumentException notAUri) {
      // Not a request any client can send; what the server does with raw bytes is the edge's test.
      uri = URI.create(conductor.url() + "/v1/tenants/unsendable");
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .method(
                attempt.method(),
                attempt.body().isEmpty()
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(attempt.body()));
    attempt
        .contentType()
        .ifPresent(type -> request.header("Content-Type", type.replace("\u0000", "")));
    switch (attempt.credential()) {
      case WRONG -> request.header("Authorization", "Bearer not-the-right-token-at-all");
      case TENANT_KEY -> request.header("Authorization", "Bearer " + apiKey);
      case OPERATOR -> request.header("Authorization", "Bearer " + conductor.adminToken());
      case NONE -> {}
    }
    try {
      return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new AssertionError(attempt + " got no answer within " + TIMEOUT, e);
    }
  }

  /**
   * What a refused request must leave alone: the tenants (names, plans, keys), and how many
   * operations and jobs there are. Statuses are left out: earlier accepted requests (an onboarding,
   * a job) go on changing them in the background.
   */
  private static String snapshot() throws SQLException {
    try (Connection db = conductor.superuserConnection();
        Statement query = db.createStatement();
        ResultSet row =
            query.executeQuery(
                "SELECT (SELECT md5(coalesce(string_agg(id || name || plan || coalesce(api_key_hash,"
                    + " ''), ',' ORDER BY id), '')) FROM tenants),"
                    + " (SELECT count(*) FROM operations), (SELECT count(*) FROM jobs)")) {
      row.next();
      return row.getString(1) + "/" + row.getLong(2) + "/" + row.getLong(3);
    }
  }
}
