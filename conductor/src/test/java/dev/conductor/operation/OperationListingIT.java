package dev.conductor.operation;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An operator lists every tenant's operations without knowing their ids ({@code GET
 * /v1/operations}) on a real conductor: filters, paging, a deleted tenant's history, bad input.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationListingIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private RunningConductor conductor;
  private Instant afterOnboarding;
  private String refresh;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(FastTimers.properties());
    conductor.onboard("list-alpha", "dev");
    conductor.onboard("list-beta", "dev");
    afterOnboarding = Instant.now();
    refresh =
        Json.parse(conductor.postJson("/v1/tenants/list-alpha/refresh", "").body())
            .get("operationId")
            .asText();
    conductor.awaitOperationEnded(refresh, LIMIT);
    conductor.offboard("list-beta");
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void listsEveryTenantsOperationsNewestFirstWithTheirTenants() {
    List<JsonNode> all = items(ok("/v1/operations"));

    assertThat(all)
        .extracting(o -> o.get("tenant").asText() + " " + o.get("kind").asText())
        .containsExactly(
            "list-beta DEPROVISION",
            "list-alpha REFRESH",
            "list-beta PROVISION",
            "list-alpha PROVISION");
    assertThat(all).allSatisfy(o -> assertThat(o.get("status").asText()).isEqualTo("SUCCEEDED"));
    assertThat(all.get(1).get("id").asText()).isEqualTo(refresh);
    assertThat(all).allSatisfy(o -> assertThat(o.has("events")).isFalse());
  }

  @Test
  void filtersCombineAndADeletedTenantKeepsItsHistory() {
    assertThat(kinds(ok("/v1/operations?tenant=list-alpha")))
        .containsExactly("REFRESH", "PROVISION");
    assertThat(kinds(ok("/v1/operations?tenant=list-beta")))
        .containsExactly("DEPROVISION", "PROVISION");
    assertThat(kinds(ok("/v1/operations?kind=provision&tenant=list-beta")))
        .containsExactly("PROVISION");
    assertThat(kinds(ok("/v1/operations?status=FAILED"))).isEmpty();
    assertThat(kinds(ok("/v1/operations?since=" + encode(afterOnboarding.toString()))))
        .containsExactly("DEPROVISION", "REFRESH");
    assertThat(kinds(ok("/v1/operations?until=" + encode(afterOnboarding.toString()))))
        .containsExactly("PROVISION", "PROVISION");
    assertThat(kinds(ok("/v1/operations?since=1h"))).hasSize(4);
    assertThat(kinds(ok("/v1/operations?tenant=nobody"))).isEmpty();
  }

  @Test
  void pagesWalkTheWholeListingOnceInOrder() {
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok("/v1/operations?limit=1" + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      items(page).forEach(o -> walked.add(o.get("id").asText()));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(walked)
        .containsExactlyElementsOf(
            items(ok("/v1/operations")).stream().map(o -> o.get("id").asText()).toList());
  }

  @Test
  void badFiltersAreRefusedNamingWhatIsAccepted() {
    assertThat(detail("/v1/operations?kind=bogus"))
        .contains("unknown kind 'bogus'")
        .contains("PROVISION, DEPROVISION, UPDATE, REFRESH");
    assertThat(detail("/v1/operations?status=done")).contains("unknown status 'done'");
    assertThat(detail("/v1/operations?since=yesterday"))
        .contains("since must be an instant")
        .contains("'yesterday'");
    assertThat(detail("/v1/operations?limit=0")).contains("limit must be a number from 1 to 500");
    assertThat(detail("/v1/operations?cursor=garbage")).contains("cursor is not one this API");
  }

  @Test
  void listingNeedsTheOperatorToken() {
    HttpResponse<String> anonymous =
        conductor.send(
            java.net.http.HttpRequest.newBuilder(conductor.url().resolve("/v1/operations")));
    assertProblem(anonymous, 401);
  }

  private JsonNode ok(String path) {
    HttpResponse<String> response = conductor.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private String detail(String path) {
    return assertProblem(conductor.get(path), 422).get("detail").asText();
  }

  private static List<JsonNode> items(JsonNode page) {
    List<JsonNode> items = new ArrayList<>();
    page.get("items").forEach(items::add);
    return items;
  }

  private static List<String> kinds(JsonNode page) {
    return items(page).stream().map(o -> o.get("kind").asText()).toList();
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
