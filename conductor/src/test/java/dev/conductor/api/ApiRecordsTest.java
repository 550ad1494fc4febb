package dev.conductor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.BatchJobResult;
import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.OperationView;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.StartedOperation;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedBatch;
import dev.conductor.api.v1.TenantView;
import dev.conductor.api.v1.WorkerView;
import io.micronaut.serde.ObjectMapper;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The api module's records as the server's micronaut-serde writes them ({@link ApiRecords}): the
 * field names and shapes of docs/api.md, without starting a conductor.
 */
@Timeout(30)
class ApiRecordsTest {
  private static final Instant AT = Instant.parse("2026-11-21T23:40:01.120Z");

  // The server's setting (application.yml): absent optional fields are left out.
  private final ObjectMapper json =
      ObjectMapper.create(
          Map.of("micronaut.serde.serialization.inclusion", "non_null"), "dev.conductor.api");

  @Test
  void responsesLeaveOutAbsentFieldsButKeepResourcesAndTheCursor() throws Exception {
    assertThat(
            json.writeValueAsString(
                new TenantView("acme", "dev", "DELETED", AT, AT, null, null, Map.of())))
        .isEqualTo(
            "{\"name\":\"acme\",\"plan\":\"dev\",\"status\":\"DELETED\","
                + "\"createdAt\":\"2026-11-21T23:40:01.120Z\","
                + "\"updatedAt\":\"2026-11-21T23:40:01.120Z\",\"resources\":{}}");
    assertThat(json.writeValueAsString(new JobPage(List.of(), null)))
        .isEqualTo("{\"items\":[],\"nextCursor\":null}");
    assertThat(json.writeValueAsString(new StartedOperation("acme", "DELETING", "op-1", null)))
        .isEqualTo("{\"name\":\"acme\",\"status\":\"DELETING\",\"operationId\":\"op-1\"}");
    assertThat(
            json.writeValueAsString(
                new WorkerView(
                    "w-1", "acme", null, "READY", 1, 2, AT, AT, 3, null, null, null, null)))
        .isEqualTo(
            "{\"id\":\"w-1\",\"tenant\":\"acme\",\"state\":\"READY\",\"inFlight\":1,"
                + "\"capacity\":2,\"startedAt\":\"2026-11-21T23:40:01.120Z\","
                + "\"lastActivityAt\":\"2026-11-21T23:40:01.120Z\",\"generation\":3}");
    assertThat(
            json.writeValueAsString(
                new OperationView(
                    "op-1",
                    "acme",
                    "UPDATE",
                    "RUNNING",
                    1,
                    AT,
                    AT,
                    null,
                    "standard",
                    true,
                    List.of(new EventView(AT, "INFO", "plan dev → standard")))))
        .isEqualTo(
            "{\"id\":\"op-1\",\"tenant\":\"acme\",\"kind\":\"UPDATE\",\"status\":\"RUNNING\","
                + "\"attempts\":1,\"createdAt\":\"2026-11-21T23:40:01.120Z\","
                + "\"updatedAt\":\"2026-11-21T23:40:01.120Z\",\"plan\":\"standard\","
                + "\"cancelRequested\":true,\"events\":[{\"at\":\"2026-11-21T23:40:01.120Z\","
                + "\"level\":\"INFO\",\"message\":\"plan dev → standard\"}]}");
    assertThat(json.writeValueAsString(new Problem("about:blank", "Not Found", 404, "gone")))
        .isEqualTo(
            "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404,\"detail\":\"gone\"}");
  }

  @Test
  void requestsMayLeaveOutEveryOptionalField() throws Exception {
    SubmitJobRequest request = json.readValue("{\"type\":\"echo\"}", SubmitJobRequest.class);

    assertThat(request).isEqualTo(new SubmitJobRequest("echo", null, null, null, null));
    assertThat(
            json.readValue(
                    "{\"type\":\"echo\",\"payload\":{\"n\":[1,2.5,\"x\"]}}", SubmitJobRequest.class)
                .payload()
                .toString())
        .isEqualTo("{\"n\":[1,2.5,\"x\"]}");
  }

  @Test
  void aBatchAnswerHasOneResultPerJobAcceptedOrRefused() throws Exception {
    SubmittedBatch answer =
        new SubmittedBatch(
            1,
            1,
            List.of(
                BatchJobResult.accepted("j-1", "QUEUED", false),
                BatchJobResult.refused(
                    new Problem("about:blank", "Too Many Requests", 429, "over the rate"), 2L)));

    assertThat(json.writeValueAsString(answer))
        .isEqualTo(
            "{\"accepted\":1,\"refused\":1,\"results\":["
                + "{\"id\":\"j-1\",\"status\":\"QUEUED\",\"replayed\":false},"
                + "{\"error\":{\"type\":\"about:blank\",\"title\":\"Too Many Requests\","
                + "\"status\":429,\"detail\":\"over the rate\"},\"retryAfter\":2}]}");
    assertThat(
            json.readValue("{\"jobs\":[{\"type\":\"echo\"},null]}", SubmitBatchRequest.class)
                .jobs())
        .containsExactly(new SubmitJobRequest("echo", null, null, null, null), null);
  }
}
