package dev.conductor.operator;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Named operator tokens over HTTP on two replicas of one database: issued once, listed without
 * secrets, refused on every replica as soon as revoked, each role held to what it may do.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class OperatorTokensIT {
  private RunningConductor a;
  private RunningConductor b;

  @BeforeAll
  void start() {
    a = RunningConductor.start(Map.of());
    b = RunningConductor.start(a.engines());
  }

  @AfterAll
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void aTokenIsShownOnceStoredHashedListedWithoutSecretsAndRevokedOnEveryReplicaAtOnce()
      throws Exception {
    HttpResponse<String> created =
        a.postJson("/v1/admin/operators", "{\"name\":\"alice\",\"role\":\"operator\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode issued = Json.parse(created.body());
    assertThat(issued.get("name").asText()).isEqualTo("alice");
    assertThat(issued.get("role").asText()).isEqualTo("operator");
    String token = issued.get("token").asText();
    assertThat(token).hasSizeGreaterThanOrEqualTo(40);

    try (Connection db = a.superuserConnection();
        Statement query = db.createStatement();
        ResultSet row = query.executeQuery("SELECT * FROM operator_tokens WHERE name = 'alice'")) {
      assertThat(row.next()).isTrue();
      assertThat(row.getString("created_by")).isEqualTo("admin");
      for (int column = 1; column <= row.getMetaData().getColumnCount(); column++) {
        assertThat(row.getString(column))
            .as("the token itself is never stored")
            .isNotEqualTo(token);
      }
    }

    // Either replica takes the token.
    assertThat(as(b, token, "/v1/tenants").statusCode()).isEqualTo(200);
    assertThat(as(a, token, "/v1/tenants").statusCode()).isEqualTo(200);

    HttpResponse<String> listed = b.get("/v1/admin/operators");
    assertThat(listed.statusCode()).isEqualTo(200);
    assertThat(listed.body()).doesNotContain(token).doesNotContain("token").doesNotContain("hash");
    JsonNode operators = Json.parse(listed.body());
    assertThat(operators.get(0).get("name").asText()).isEqualTo("admin");
    JsonNode alice = named(operators, "alice");
    assertThat(alice.get("role").asText()).isEqualTo("operator");
    assertThat(alice.get("createdBy").asText()).isEqualTo("admin");
    assertThat(alice.get("lastUsedAt")).isNotNull();

    HttpResponse<String> revoked = a.delete("/v1/admin/operators/alice");
    assertThat(revoked.statusCode()).isEqualTo(204);
    // No waiting: the other replica refuses the token from the revocation's answer on.
    assertProblem(as(b, token, "/v1/tenants"), 401);
    assertProblem(as(a, token, "/v1/tenants"), 401);
    assertThat(Json.parse(a.get("/v1/admin/operators").body()).findValuesAsText("name"))
        .doesNotContain("alice");
    assertProblem(a.delete("/v1/admin/operators/alice"), 404);

    // The name is free again, for a new token; the old one stays refused.
    HttpResponse<String> again =
        a.postJson("/v1/admin/operators", "{\"name\":\"alice\",\"role\":\"read-only\"}");
    assertThat(again.statusCode()).isEqualTo(201);
    assertProblem(as(a, token, "/v1/tenants"), 401);
    a.delete("/v1/admin/operators/alice");
  }

  @Test
  void badInputIsAProblemAndChangesNothing() {
    assertThat(
            a.postJson("/v1/admin/operators", "{\"name\":\"bob\",\"role\":\"reader\"}")
                .statusCode())
        .isEqualTo(422);
    JsonNode badName =
        assertProblem(
            a.postJson("/v1/admin/operators", "{\"name\":\"Bob Smith\",\"role\":\"operator\"}"),
            422);
    assertThat(badName.get("detail").asText()).contains("lowercase slug");
    assertProblem(a.postJson("/v1/admin/operators", "{\"role\":\"operator\"}"), 422);
    assertProblem(
        a.postJson("/v1/admin/operators", "{\"name\":\"admin\",\"role\":\"admin\"}"), 422);
    assertProblem(a.postJson("/v1/admin/operators", "{\"name\":"), 400);

    assertThat(
            a.postJson("/v1/admin/operators", "{\"name\":\"carol\",\"role\":\"operator\"}")
                .statusCode())
        .isEqualTo(201);
    assertProblem(
        a.postJson("/v1/admin/operators", "{\"name\":\"carol\",\"role\":\"admin\"}"), 409);

    JsonNode operators = Json.parse(a.get("/v1/admin/operators").body());
    assertThat(operators.findValuesAsText("name")).doesNotContain("bob", "Bob Smith");
    assertThat(named(operators, "carol").get("role").asText()).isEqualTo("operator");
    a.delete("/v1/admin/operators/carol");
  }

  @Test
  void readOnlyMayOnlyRead() {
    String token = issue("reader", "read-only");
    assertThat(as(a, token, "/v1/tenants").statusCode()).isEqualTo(200);
    assertThat(as(a, token, "/v1/operations").statusCode()).isEqualTo(200);
    assertThat(as(a, token, "/v1/workers").statusCode()).isEqualTo(200);
    assertThat(as(a, token, "/metrics").statusCode()).isEqualTo(200);

    JsonNode refused =
        assertProblem(
            a.send(
                request(a, token, "/v1/tenants")
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"ro1\",\"plan\":\"dev\"}"))),
            403);
    assertThat(refused.get("detail").asText()).contains("read-only");
    assertProblem(
        a.send(
            request(a, token, "/v1/workers/00000000-0000-0000-0000-000000000000/drain")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))),
        403);
    assertProblem(as(a, token, "/v1/admin/backup"), 403);
    assertProblem(as(a, token, "/v1/admin/operators"), 403);
    assertThat(a.get("/v1/tenants/ro1").statusCode()).as("nothing was created").isEqualTo(404);
  }

  @Test
  void anOperatorActsOnTenantsButNotOnAdmin() {
    String token = issue("ops", "operator");
    HttpResponse<String> created =
        a.send(
            request(a, token, "/v1/tenants")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"opsmade\",\"plan\":\"dev\"}")));
    assertThat(created.statusCode()).isEqualTo(202);
    String operation = Json.parse(created.body()).get("operationId").asText();
    a.awaitOperationEnded(operation, Duration.ofMinutes(2));
    assertThat(as(a, token, "/v1/tenants/opsmade").statusCode()).isEqualTo(200);

    assertProblem(as(a, token, "/v1/admin/operators"), 403);
    assertProblem(as(a, token, "/v1/admin/backup"), 403);
    assertProblem(
        a.send(
            request(a, token, "/v1/admin/secrets-key/rotate")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}"))),
        403);
    assertProblem(
        a.send(
            request(a, token, "/v1/admin/operators")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"escalate\",\"role\":\"admin\"}"))),
        403);
    assertThat(Json.parse(a.get("/v1/admin/operators").body()).findValuesAsText("name"))
        .doesNotContain("escalate");
  }

  @Test
  void aNamedAdminMayDoEverything() {
    String token = issue("root", "admin");
    assertThat(as(a, token, "/v1/admin/operators").statusCode()).isEqualTo(200);
    HttpResponse<String> created =
        a.send(
            request(a, token, "/v1/admin/operators")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"made-by-root\",\"role\":\"read-only\"}")));
    assertThat(created.statusCode()).isEqualTo(201);
    JsonNode listed = Json.parse(a.get("/v1/admin/operators").body());
    assertThat(named(listed, "made-by-root").get("createdBy").asText()).isEqualTo("root");
    assertThat(as(a, token, "/v1/admin/backup").statusCode()).isEqualTo(200);
  }

  private static JsonNode named(JsonNode operators, String name) {
    for (JsonNode operator : operators) {
      if (operator.get("name").asText().equals(name)) {
        return operator;
      }
    }
    throw new AssertionError(name + " not listed: " + operators);
  }

  private String issue(String name, String role) {
    HttpResponse<String> created =
        a.postJson("/v1/admin/operators", "{\"name\":\"" + name + "\",\"role\":\"" + role + "\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    return Json.parse(created.body()).get("token").asText();
  }

  private static HttpResponse<String> as(RunningConductor conductor, String token, String path) {
    return conductor.send(request(conductor, token, path).GET());
  }

  private static HttpRequest.Builder request(
      RunningConductor conductor, String token, String path) {
    return HttpRequest.newBuilder(conductor.url().resolve(path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30));
  }
}
