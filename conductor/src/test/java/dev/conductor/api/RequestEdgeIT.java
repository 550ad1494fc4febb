package dev.conductor.api;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What anyone who can reach the port sees: health without details, strict JSON, NUL bytes and
 * oversized request heads answered with a clear 4xx in the request's terms, never a 500.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class RequestEdgeIT {
  private RunningConductor conductor;
  private String apiKey;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(Map.of());
    apiKey = conductor.onboard("edge", "dev");
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void anonymousHealthShowsTheStatusOnly() {
    HttpResponse<String> anonymous =
        conductor.send(HttpRequest.newBuilder(conductor.url().resolve("/health")).GET());
    assertThat(anonymous.statusCode()).isEqualTo(200);
    JsonNode body = Json.parse(anonymous.body());
    assertThat(body.get("status").asText()).isEqualTo("UP");
    assertThat(body.has("details")).as(anonymous.body()).isFalse();
    assertNoDatabaseSecrets(anonymous.body());
    // A wrong token is no better than none.
    HttpResponse<String> wrong =
        conductor.send(
            HttpRequest.newBuilder(conductor.url().resolve("/health"))
                .header("Authorization", "Bearer not-the-admin-token-but-long-enough")
                .GET());
    assertThat(Json.parse(wrong.body()).has("details")).as(wrong.body()).isFalse();
  }

  @Test
  void theOperatorSeesHealthDetailsButNoCredentials() {
    HttpResponse<String> operator = conductor.get("/health");
    assertThat(operator.statusCode()).isEqualTo(200);
    JsonNode details = Json.parse(operator.body()).get("details");
    assertThat(details).as(operator.body()).isNotNull();
    assertThat(details.get("db").get("status").asText()).isEqualTo("UP");
    assertThat(details.get("bus").get("status").asText()).isEqualTo("UP");
    assertNoDatabaseSecrets(operator.body());
  }

  private void assertNoDatabaseSecrets(String body) {
    var context = conductor.server().context();
    assertThat(body)
        .doesNotContain(context.getRequiredProperty("datasources.default.password", String.class))
        .doesNotContain(context.getRequiredProperty("datasources.default.url", String.class))
        .doesNotContain("jdbc:");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":\"echo\"}garbage",
        "{\"type\":\"echo\"} {\"type\":\"sleep\"}",
        "{\"type\":\"sleep\",\"type\":\"echo\"}",
        "{\"type\":\"echo\",\"affinityKey\":123}",
        "{\"type\":\"echo\",\"idempotencyKey\":true}",
        "{\"type\":\"echo\",\"payload\":{\"a\":1,\"a\":2}}"
      })
  void lenientJsonIsRefusedAndCreatesNothing(String body) {
    JsonNode problem = assertProblem(postJob(body), 400);
    assertThat(problem.get("detail").asText()).doesNotContain("dev.conductor", "$", "Jackson");
    assertThat(jobCount()).isZero();
  }

  @Test
  void aMistypedFieldIsNamed() {
    assertThat(
            assertProblem(postJob("{\"type\":\"echo\",\"affinityKey\":123}"), 400)
                .get("detail")
                .asText())
        .isEqualTo("'affinityKey' must be a JSON string");
    assertThat(assertProblem(postJob("[{\"type\":\"echo\"}]"), 400).get("detail").asText())
        .isEqualTo("the request body must be a JSON object");
    assertThat(assertProblem(postJob("{\"type\":\"echo\"}garbage"), 400).get("detail").asText())
        .startsWith("the request body must be one JSON value with nothing after it");
    assertThat(
            assertProblem(postJob("{\"type\":\"echo\",\"type\":\"sleep\"}"), 400)
                .get("detail")
                .asText())
        .startsWith("the request body repeats the key 'type'");
  }

  @Test
  void lenientJsonIsRefusedOnOperatorEndpointsToo() {
    assertProblem(conductor.postJson("/v1/tenants", "{\"name\":\"trail\",\"plan\":\"dev\"}x"), 400);
    assertProblem(
        conductor.postJson("/v1/tenants", "{\"name\":\"dup\",\"name\":\"dup2\",\"plan\":\"dev\"}"),
        400);
    assertProblem(conductor.postJson("/v1/tenants", "{\"name\":\"num\",\"plan\":7}"), 400);
    assertProblem(conductor.get("/v1/tenants/trail"), 404);
    assertProblem(conductor.get("/v1/tenants/dup2"), 404);
    assertProblem(conductor.get("/v1/tenants/num"), 404);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"type\":{\"nested\":true}}",
        "{\"type\":[\"echo\"]}",
        "[{\"type\":\"echo\"}]",
        "\"echo\"",
        "{\"type\":\"echo\",\"payload\":{\"a\":\"unterminated}}",
        "{\"type\":\"echo\",\"payload\":NaN}"
      })
  void badBodiesAreExplainedInTheRequestsTerms(String body) {
    JsonNode problem = assertProblem(postJob(body), 400);
    assertThat(problem.get("detail").asText())
        .doesNotContain("dev.conductor", "$", "Jackson", "class ", "Source:", "Argument");
    assertThat(jobCount()).isZero();
  }

  @Test
  void tooDeeplyNestedJsonIsExplainedWithoutParserInternals() {
    String deep = "{\"type\":\"echo\",\"payload\":" + "[".repeat(3000) + "]".repeat(3000) + "}";
    HttpResponse<String> response = postJob(deep);
    assertThat(response.statusCode()).as(response.body()).isBetween(400, 499);
    JsonNode problem = assertProblem(response, response.statusCode());
    assertThat(problem.get("detail").asText())
        .contains("nest")
        .doesNotContain("StreamReadConstraints", "Jackson", "dev.conductor", "$");
    assertThat(jobCount()).isZero();
  }

  @Test
  void anOverlongNumberIsExplainedWithoutParserInternals() {
    JsonNode problem =
        assertProblem(postJob("{\"type\":\"echo\",\"payload\":" + "7".repeat(5000) + "}"), 400);
    assertThat(problem.get("detail").asText())
        .contains("digits")
        .doesNotContain("StreamReadConstraints", "Jackson", "dev.conductor", "$");
    assertThat(jobCount()).isZero();
  }

  @Test
  void nulBytesInPathsQueriesAndBodiesAre400() {
    assertProblem(conductor.get("/v1/tenants/%00"), 400);
    assertProblem(conductor.get("/v1/tenants/edge%00"), 400);
    assertProblem(conductor.get("/v1/workers?tenant=%00"), 400);
    assertProblem(conductor.send(conductor.tenant(apiKey, "/v1/jobs?status=%00").GET()), 400);
    assertProblem(postJob("{\"type\":\"echo\",\"idempotencyKey\":\"x\\u0000y\"}"), 400);
    assertProblem(postJob("{\"type\":\"echo\",\"payload\":{\"k\":\"x\\u0000y\"}}"), 400);
    assertProblem(postJob("{\"type\":\"echo\",\"payload\":{\"x\\u0000y\":1}}"), 400);
    assertProblem(
        conductor.postJson("/v1/tenants", "{\"name\":\"a\\u0000b\",\"plan\":\"dev\"}"), 400);
    assertThat(jobCount()).isZero();
    // The tenant is untouched and the server still answers normally.
    assertThat(conductor.tenant("edge").get("status").asText()).isEqualTo("READY");
  }

  @Test
  void anOversizedRequestLineIs414() throws Exception {
    try (RawHttp socket = RawHttp.connect(conductor.url(), 20_000)) {
      socket.send("GET /v1/tenants/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
      String response = socket.readResponse();
      assertThat(response).startsWith("HTTP/1.1 414");
      assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
      assertThat(response).contains("\"status\":414");
    }
  }

  @Test
  void oversizedHeadersAre431() throws Exception {
    try (RawHttp socket = RawHttp.connect(conductor.url(), 20_000)) {
      socket.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n");
      String response = socket.readResponse();
      assertThat(response).startsWith("HTTP/1.1 431");
      assertThat(response.toLowerCase()).contains("content-type: application/problem+json");
      assertThat(response).contains("\"status\":431");
    }
  }

  private HttpResponse<String> postJob(String body) {
    return conductor.postJob(apiKey, body);
  }

  private int jobCount() {
    HttpResponse<String> list = conductor.send(conductor.tenant(apiKey, "/v1/jobs").GET());
    assertThat(list.statusCode()).isEqualTo(200);
    return Json.parse(list.body()).get("items").size();
  }
}
