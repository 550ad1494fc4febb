package dev.conductor.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import io.micronaut.web.router.Router;
import io.micronaut.web.router.UriRouteInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The real conductor serves its OpenAPI document and reference page to anyone, without a
 * credential, and the document describes every route the server answers, every error as a Problem
 * and both credentials.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OpenApiIT {
  private static final Pattern ABSOLUTE_URL =
      Pattern.compile("https?://", Pattern.CASE_INSENSITIVE);
  private static final Pattern LOCAL_RESOURCE =
      Pattern.compile("[\"'](/[A-Za-z0-9._/-]+\\.(?:js|css|yml|json))[\"']");

  private static RunningConductor conductor;
  private static final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    conductor = RunningConductor.start(Map.of());
  }

  @AfterAll
  static void stop() {
    if (conductor != null) {
      conductor.close();
    }
  }

  @Test
  void theDocumentIsServedWithoutACredentialAndCoversEveryRouteTheServerAnswers() throws Exception {
    HttpResponse<String> served = open("/openapi.yml");
    assertThat(served.statusCode()).isEqualTo(200);
    assertThat(served.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
    OpenApiDocument document = OpenApiDocument.parse(served.body());

    Set<String> routes = new TreeSet<>();
    for (UriRouteInfo<?, ?> route :
        conductor.server().context().getBean(Router.class).uriRoutes().toList()) {
      if (route.getHttpMethodName().equals("HEAD")) {
        continue; // Micronaut answers HEAD wherever it answers GET; the document names the GET.
      }
      routes.add(
          route.getHttpMethodName()
              + " "
              + OpenApiDocument.normal(route.getUriMatchTemplate().toPathString()));
    }
    assertThat(routes).contains("GET /v1/tenants", "POST /v1/jobs", "GET /health");
    assertThat(document.operations()).containsAll(routes);
  }

  @Test
  void operationIdsAreUniqueNamesForGeneratedClients() throws Exception {
    OpenApiDocument document = OpenApiDocument.parse(open("/openapi.yml").body());
    List<String> ids = new java.util.ArrayList<>();
    document
        .paths()
        .values()
        .forEach(
            item ->
                OpenApiDocument.map(item)
                    .values()
                    .forEach(op -> ids.add((String) OpenApiDocument.map(op).get("operationId"))));
    // micronaut-openapi suffixes a repeated method name (list_1): name it with @Operation instead.
    assertThat(ids)
        .doesNotHaveDuplicates()
        .allSatisfy(id -> assertThat(id).matches("[a-z][A-Za-z]*"));
  }

  @Test
  void everyOperationNamesItsCredentialAndItsErrorsAreProblems() throws Exception {
    OpenApiDocument document = OpenApiDocument.parse(open("/openapi.yml").body());

    Map<String, Object> schemes = document.components("securitySchemes");
    assertThat(schemes).containsKeys(ConductorApi.OPERATOR, ConductorApi.TENANT);
    for (String scheme : List.of(ConductorApi.OPERATOR, ConductorApi.TENANT)) {
      assertThat(OpenApiDocument.map(schemes.get(scheme)))
          .containsEntry("type", "http")
          .containsEntry("scheme", "bearer");
    }
    assertThat(OpenApiDocument.map(document.components("schemas").get("Problem")))
        .extractingByKey("properties")
        .satisfies(
            properties ->
                assertThat(OpenApiDocument.map(properties))
                    .containsKeys("type", "title", "status", "detail"));
    for (Object response : document.components("responses").values()) {
      assertThat(OpenApiDocument.map(OpenApiDocument.map(response).get("content")))
          .containsOnlyKeys("application/problem+json");
    }

    document
        .paths()
        .forEach(
            (path, item) ->
                OpenApiDocument.map(item)
                    .forEach(
                        (method, operation) -> {
                          Map<String, Object> op = OpenApiDocument.map(operation);
                          Map<String, Object> responses = OpenApiDocument.map(op.get("responses"));
                          String credential =
                              path.startsWith("/v1/jobs")
                                  ? ConductorApi.TENANT
                                  : path.startsWith("/v1/") ? ConductorApi.OPERATOR : null;
                          if (credential == null) {
                            assertThat(securityOf(op))
                                .as(method + " " + path)
                                .doesNotContain(ConductorApi.TENANT);
                            return;
                          }
                          assertThat(securityOf(op))
                              .as(method + " " + path)
                              .containsExactly(credential);
                          // Every /v1 request may meet the filters' refusals.
                          assertThat(responses)
                              .as(method + " " + path)
                              .containsKeys("400", "401", "429", "503");
                          responses.forEach(
                              (status, response) -> {
                                if (status.startsWith("4") || status.startsWith("5")) {
                                  assertThat(OpenApiDocument.map(response).get("$ref"))
                                      .as(method + " " + path + " " + status)
                                      .asString()
                                      .startsWith("#/components/responses/");
                                }
                              });
                        }));
    assertThat(document.operation("POST", "/v1/jobs").get("responses"))
        .satisfies(
            r ->
                assertThat(OpenApiDocument.map(r)).containsKeys("202", "403", "409", "413", "422"));
    assertThat(document.operation("GET", "/v1/tenants/{name}").get("responses"))
        .satisfies(r -> assertThat(OpenApiDocument.map(r)).containsKeys("200", "404"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/openapi", "/openapi/"})
  void theReferencePageLoadsEverythingFromTheServerItself(String address) throws Exception {
    HttpResponse<String> page = open(address);
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(ABSOLUTE_URL.matcher(page.body()).find())
        .as("an absolute URL in the page: it would need the network")
        .isFalse();

    Set<String> loaded = new TreeSet<>();
    Matcher resources = LOCAL_RESOURCE.matcher(page.body());
    while (resources.find()) {
      loaded.add(resources.group(1));
    }
    // The renderer's script and the document it renders, both from this server.
    assertThat(loaded).contains("/openapi.yml");
    assertThat(loaded.stream().filter(path -> path.endsWith(".js")).collect(Collectors.toSet()))
        .isNotEmpty();
    for (String path : loaded) {
      assertThat(open(path).statusCode()).as(path).isEqualTo(200);
    }
  }

  @SuppressWarnings("unchecked")
  private static List<String> securityOf(Map<String, Object> operation) {
    Object security = operation.get("security");
    if (security == null) {
      return List.of();
    }
    return ((List<Map<String, Object>>) security)
        .stream().flatMap(requirement -> requirement.keySet().stream()).toList();
  }

  /** A request without any credential. */
  private static HttpResponse<String> open(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(conductor.url() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
