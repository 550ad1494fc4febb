package dev.conductor.job;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The operator reads any tenant's jobs and re-runs a FAILED one ({@code /v1/tenants/{name}/jobs})
 * with the operator token, on a real conductor whose workers run the jobs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TenantJobsIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private static final String FAILING =
      "{\"type\":\"fail\",\"payload\":{\"message\":\"card declined\"},\"affinityKey\":\"k1\"}";
  private RunningConductor conductor;
  private String apiKey;
  private String failed;
  private String succeeded;

  @BeforeAll
  void start() {
    conductor = RunningConductor.start(FastTimers.properties());
    apiKey = conductor.onboard("ops-view", "dev");
    failed = conductor.submitJob(apiKey, FAILING);
    succeeded = conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"n\":1}}");
    conductor.awaitJobEnded(apiKey, failed, LIMIT);
    conductor.awaitJobEnded(apiKey, succeeded, LIMIT);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void theOperatorReadsATenantsJobsWithoutItsKey() {
    JsonNode page = ok("/v1/tenants/ops-view/jobs");
    assertThat(ids(page)).containsSubsequence(succeeded, failed);

    JsonNode onlyFailed = ok("/v1/tenants/ops-view/jobs?status=failed");
    assertThat(ids(onlyFailed)).contains(failed).doesNotContain(succeeded);
    JsonNode job = ok("/v1/tenants/ops-view/jobs/" + failed);
    assertThat(job.get("status").asText()).isEqualTo("FAILED");
    assertThat(job.get("error").asText()).contains("card declined");
    // The same view the tenant's app gets.
    assertThat(job).isEqualTo(conductor.job(apiKey, failed));
  }

  @Test
  void pagesFollowTheirCursorNewestFirstWithEveryJobOnceAndFiltersKept() {
    List<String> echoes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      echoes.add(
          0, conductor.submitJob(apiKey, "{\"type\":\"echo\",\"payload\":{\"page\":" + i + "}}"));
    }
    List<String> seen = new ArrayList<>();
    String path = "/v1/tenants/ops-view/jobs?type=echo&limit=2";
    JsonNode page = ok(path);
    seen.addAll(ids(page));
    while (page.hasNonNull("nextCursor")) {
      assertThat(ids(page)).hasSize(2);
      page = ok(path + "&cursor=" + page.get("nextCursor").asText());
      seen.addAll(ids(page));
    }

    // The five echoes (newest first), then the echo submitted at the start; never the failed job.
    assertThat(seen)
        .doesNotHaveDuplicates()
        .doesNotContain(failed)
        .startsWith(echoes.toArray(String[]::new));
    assertThat(seen).contains(succeeded);
  }

  @Test
  void theOperatorFiltersByTypeAffinityKeyAndCreationTime() {
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?type=fail")))
        .contains(failed)
        .doesNotContain(succeeded);
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?affinityKey=k1&status=FAILED")))
        .contains(failed)
        .doesNotContain(succeeded);
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?type=echo&affinityKey=k1"))).isEmpty();
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?since=1h"))).contains(failed, succeeded);
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?until=1h"))).isEmpty();
    String created = ok("/v1/tenants/ops-view/jobs/" + succeeded).get("createdAt").asText();
    assertThat(ids(ok("/v1/tenants/ops-view/jobs?since=" + created)))
        .contains(succeeded)
        .doesNotContain(failed);
    assertThat(
            assertProblem(conductor.get("/v1/tenants/ops-view/jobs?since=yesterday"), 422)
                .get("detail")
                .asText())
        .contains("since must be an instant");
  }

  @Test
  void aFailedJobIsReRunAsANewJobAndOthersAreRefused() {
    HttpResponse<String> rerun =
        conductor.postJson("/v1/tenants/ops-view/jobs/" + failed + "/rerun", "");

    assertThat(rerun.statusCode()).as(rerun.body()).isEqualTo(202);
    String again = Json.parse(rerun.body()).get("id").asText();
    assertThat(again).isNotEqualTo(failed);
    JsonNode ended = conductor.awaitJobEnded(apiKey, again, LIMIT);
    assertThat(ended.get("type").asText()).isEqualTo("fail");
    assertThat(ended.get("affinityKey").asText()).isEqualTo("k1");
    assertThat(ended.get("error").asText()).contains("card declined");
    assertThat(conductor.job(apiKey, failed).get("status").asText()).isEqualTo("FAILED");

    assertThat(
            assertProblem(
                    conductor.postJson("/v1/tenants/ops-view/jobs/" + succeeded + "/rerun", ""),
                    409)
                .get("detail")
                .asText())
        .contains("only FAILED jobs can be re-run");
  }

  @Test
  void unknownTenantsAndJobsAreNotFoundAndATenantKeyIsNotEnough() {
    assertProblem(conductor.get("/v1/tenants/nobody/jobs"), 404);
    assertProblem(conductor.get("/v1/tenants/ops-view/jobs/" + java.util.UUID.randomUUID()), 404);
    assertProblem(conductor.get("/v1/tenants/ops-view/jobs/not-a-uuid"), 404);
    assertProblem(conductor.get("/v1/tenants/ops-view/jobs?status=done"), 422);
    HttpResponse<String> withTenantKey =
        conductor.send(conductor.tenant(apiKey, "/v1/tenants/ops-view/jobs").GET());
    assertProblem(withTenantKey, 401);
  }

  private JsonNode ok(String path) {
    HttpResponse<String> response = conductor.get(path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return Json.parse(response.body());
  }

  private static List<String> ids(JsonNode page) {
    List<String> ids = new ArrayList<>();
    page.get("items").forEach(job -> ids.add(job.get("id").asText()));
    return ids;
  }
}
