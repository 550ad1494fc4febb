package dev.conductor.api.client;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.conductor.api.v1.CreateTenantRequest;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.TenantView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ApiJsonTest {
  private final ObjectMapper json = ApiJson.mapper();

  @Test
  void writesWhatTheServerWrites() throws Exception {
    JobView job =
        new JobView(
            "j-1",
            "echo",
            "SUCCEEDED",
            null,
            "w-1",
            1,
            JsonNodeFactory.instance.objectNode().put("n", 1),
            null,
            null,
            Instant.parse("2025-11-21T10:00:00.120Z"),
            null,
            null,
            Instant.parse("2025-11-21T10:00:01Z"),
            null);

    assertThat(json.writeValueAsString(new JobPage(List.of(job), null)))
        .isEqualTo(
            "{\"items\":[{\"id\":\"j-1\",\"type\":\"echo\",\"status\":\"SUCCEEDED\","
                + "\"workerId\":\"w-1\",\"attempts\":1,\"result\":{\"n\":1},"
                + "\"createdAt\":\"2025-11-21T10:00:00.120Z\","
                + "\"finishedAt\":\"2025-11-21T10:00:01Z\"}],\"nextCursor\":null}");
  }

  @Test
  void requestsLeaveOutWhatWasNotGivenButSendANullPayload() throws Exception {
    assertThat(json.writeValueAsString(new CreateTenantRequest("acme", null)))
        .isEqualTo("{\"name\":\"acme\"}");
    assertThat(
            json.writeValueAsString(
                new SubmitJobRequest("echo", NullNode.instance, null, null, null)))
        .isEqualTo("{\"type\":\"echo\",\"payload\":null}");
  }

  @Test
  void readsAnswersWithFieldsItDoesNotKnow() throws Exception {
    TenantView tenant =
        json.readValue(
            "{\"name\":\"acme\",\"plan\":\"dev\",\"status\":\"SOMETHING_NEW\",\"quota\":3,"
                + "\"createdAt\":\"2025-11-21T10:00:00Z\",\"updatedAt\":\"2025-11-21T10:00:01Z\","
                + "\"resources\":{\"queue\":{\"jobTopic\":\"tenant.acme.jobs\"}}}",
            TenantView.class);

    assertThat(tenant.status()).isEqualTo("SOMETHING_NEW");
    assertThat(tenant.resources())
        .isEqualTo(Map.of("queue", Map.of("jobTopic", "tenant.acme.jobs")));
    assertThat(tenant.error()).isNull();
  }

  @Test
  void aNullResultIsWrittenBackAsNullAndAnAbsentOneStaysAbsent() throws Exception {
    String nullResult =
        "{\"id\":\"j\",\"type\":\"echo\",\"status\":\"SUCCEEDED\",\"attempts\":1,"
            + "\"result\":null,\"createdAt\":\"2025-11-21T10:00:00Z\"}";
    String noResult = nullResult.replace("\"result\":null,", "");

    assertThat(json.writeValueAsString(json.readValue(nullResult, JobView.class)))
        .isEqualTo(nullResult);
    assertThat(json.writeValueAsString(json.readValue(noResult, JobView.class)))
        .isEqualTo(noResult);
  }

  @Test
  void aProblemBecomesTheErrorWithItsDetailAndRetryAfter() {
    ApiException problem =
        ConductorClient.problem(
            429,
            "{\"type\":\"about:blank\",\"title\":\"Too Many Requests\",\"status\":429,"
                + "\"detail\":\"slow down\"}",
            "2");

    assertThat(problem.status()).isEqualTo(429);
    assertThat(problem.getMessage()).isEqualTo("slow down");
    assertThat(problem.retryAfter()).contains(java.time.Duration.ofSeconds(2));
  }
}
