package dev.conductor.tenant;

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
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * An operator pages through many tenants and filters them on the server ({@code GET /v1/tenants}
 * with limit, cursor, status, plan or namePrefix) on a real conductor; without those parameters the
 * answer stays the array of every live tenant.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantListingIT {
  private static final List<String> DEV =
      IntStream.rangeClosed(1, 9).mapToObj(i -> "page-dev-" + i).toList();
  private static final List<String> TIGHT = List.of("page-tight-1", "page-tight-2", "zeta");
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(FastTimers.properties());
    // Create them all first, then wait: provisioning runs them side by side.
    DEV.forEach(name -> create(name, "dev"));
    TIGHT.forEach(name -> create(name, "tight"));
    for (String name : all()) {
      RunningConductor.await(
          () -> conductor.tenant(name).path("status").asText(),
          "READY"::equals,
          Duration.ofSeconds(90));
    }
    assertThat(conductor.postJson("/v1/tenants/page-dev-2/suspend", "").statusCode())
        .isEqualTo(200);
    assertThat(conductor.postJson("/v1/tenants/zeta/suspend", "").statusCode()).isEqualTo(200);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void withoutPagingParametersTheAnswerIsStillTheArrayOfEveryLiveTenant() {
    JsonNode answer = ok("/v1/tenants");

    assertThat(answer.isArray()).isTrue();
    assertThat(names(answer)).containsExactlyElementsOf(all());
    assertThat(answer.get(0).has("resources")).isTrue();
  }

  @Test
  void pagesWalkEveryTenantOnceByName() {
    List<String> walked = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      JsonNode page =
          ok("/v1/tenants?limit=5" + (cursor == null ? "" : "&cursor=" + encode(cursor)));
      assertThat(page.get("items").size()).isLessThanOrEqualTo(5);
      walked.addAll(names(page.get("items")));
      cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
      pages++;
    } while (cursor != null && pages < 10);

    assertThat(pages).isEqualTo(3);
    assertThat(walked).containsExactlyElementsOf(all());
  }

  @Test
  void listingsShowEachTenantAsItsOwnPageDoesWithItsResourcesAndLatestOperation() {
    JsonNode everyTenant = ok("/v1/tenants");
    JsonNode page = ok("/v1/tenants?limit=3");

    for (JsonNode listed : List.of(everyTenant, page.get("items"))) {
      listed.forEach(
          tenant -> {
            assertThat(tenant).isEqualTo(ok("/v1/tenants/" + tenant.get("name").asText()));
            assertThat(tenant.get("operationId").asText()).isNotBlank();
            if (tenant.get("status").asText().equals("READY")) {
              assertThat(tenant.get("resources").has("database")).isTrue();
            }
          });
    }
  }

  @Test
  void aFilterAloneAnswersAPageWithTheDefaultLimit() {
    JsonNode page = ok("/v1/tenants?plan=tight");

    assertThat(names(page.get("items"))).containsExactly("page-tight-1", "page-tight-2", "zeta");
    assertThat(page.get("nextCursor").isNull()).isTrue();
    assertThat(page.get("items").get(0).get("plan").asText()).isEqualTo("tight");
  }

  @Test
  void filtersCombineAndStatusIsCaseInsensitive() {
    assertThat(names(ok("/v1/tenants?status=suspended").get("items")))
        .containsExactly("page-dev-2", "zeta");
    assertThat(names(ok("/v1/tenants?status=SUSPENDED&plan=dev").get("items")))
        .containsExactly("page-dev-2");
    assertThat(names(ok("/v1/tenants?namePrefix=page-t").get("items")))
        .containsExactly("page-tight-1", "page-tight-2");
    assertThat(names(ok("/v1/tenants?namePrefix=page-dev&status=ready&limit=3").get("items")))
        .containsExactly("page-dev-1", "page-dev-3", "page-dev-4");
    assertThat(names(ok("/v1/tenants?plan=nosuch").get("items"))).isEmpty();
    // A blank filter is no filter, but still asks for a page.
    assertThat(names(ok("/v1/tenants?status=&namePrefix=").get("items")))
        .containsExactlyElementsOf(all());
  }

  @Test
  void aFilteredWalkFollowsItsCursorWithTheSameFilters() {
    JsonNode first = ok("/v1/tenants?status=ready&limit=4");
    String cursor = first.get("nextCursor").asText();
    JsonNode second = ok("/v1/tenants?status=ready&limit=4&cursor=" + encode(cursor));

    assertThat(names(first.get("items")))
        .containsExactly("page-dev-1", "page-dev-3", "page-dev-4", "page-dev-5");
    assertThat(names(second.get("items")))
        .containsExactly("page-dev-6", "page-dev-7", "page-dev-8", "page-dev-9");
  }

  @Test
  void badValuesAreRefusedNamingWhatIsAccepted() {
    assertThat(detail("/v1/tenants?status=done"))
        .contains("unknown status 'done'")
        .contains("PROVISIONING, READY, UPDATING, SUSPENDED, DELETING, FAILED");
    assertThat(detail("/v1/tenants?status=deleted")).contains("unknown status 'deleted'");
    assertThat(detail("/v1/tenants?limit=0")).contains("limit must be a number from 1 to 500");
    assertThat(detail("/v1/tenants?limit=ten")).contains("limit must be a number from 1 to 500");
    assertThat(detail("/v1/tenants?cursor=garbage")).contains("cursor is not one this API");
  }

  private void create(String name, String plan) {
    HttpResponse<String> created =
        conductor.postJson("/v1/tenants", "{\"name\":\"" + name + "\",\"plan\":\"" + plan + "\"}");
    assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
  }

  private static List<String> all() {
    List<String> all = new ArrayList<>(DEV);
    all.addAll(TIGHT);
    return all;
  }

  private JsonNode ok(String path) {
    HttpResponse<String> response = conductor.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private String detail(String path) {
    return assertProblem(conductor.get(path), 422).get("detail").asText();
  }

  private static List<String> names(JsonNode tenants) {
    List<String> names = new ArrayList<>();
    tenants.forEach(t -> names.add(t.get("name").asText()));
    return names;
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
