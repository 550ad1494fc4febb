package dev.conductor.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.cli.Json;
import org.junit.jupiter.api.Test;

class JobFormatTest {

  @Test
  void detailShowsEveryFieldAndTheResultAsCompactJson() {
    String job =
        """
        {"id":"j-1","type":"sleep","status":"SUCCEEDED","affinityKey":"proxy-eu",
         "workerId":"w-1","attempts":1,"result":{"sleptMs": 800},
         "createdAt":"2025-11-21T10:00:00Z","startedAt":"2025-11-21T10:00:02Z",
         "finishedAt":"2025-11-21T10:00:03Z"}
        """;

    assertThat(JobFormat.detail(job(job)))
        .isEqualTo(
            """
            ID:            j-1
            Type:          sleep
            Status:        SUCCEEDED
            Affinity key:  proxy-eu
            Worker:        w-1
            Attempts:      1
            Created:       2025-11-21T10:00:00Z
            Started:       2025-11-21T10:00:02Z
            Finished:      2025-11-21T10:00:03Z
            Result:        {"sleptMs":800}
            """);
  }

  @Test
  void detailShowsTheLocationOnlyOfAJobThatNamesOne() {
    String located =
        """
        {"id":"j-1","type":"echo","status":"QUEUED","affinityKey":"proxy","location":"eu",
         "attempts":0,"createdAt":"2025-11-21T10:00:00Z"}
        """;

    assertThat(JobFormat.detail(job(located)).lines())
        .containsSequence("Affinity key:  proxy", "Location:      eu", "Worker:        -");
    assertThat(JobFormat.detail(job(located.replace(",\"location\":\"eu\"", ""))))
        .doesNotContain("Location:");
  }

  @Test
  void detailOfAQueuedJobShowsDashesAndAFailedOneItsError() {
    assertThat(
            JobFormat.detail(
                job(
                    "{\"id\":\"j-1\",\"type\":\"echo\",\"status\":\"QUEUED\",\"attempts\":0,"
                        + "\"createdAt\":\"2025-11-21T10:00:00Z\"}")))
        .contains("Affinity key:  -\n")
        .contains("Worker:        -\n")
        .doesNotContain("Result:")
        .doesNotContain("Error:");
    assertThat(
            JobFormat.detail(
                job(
                    "{\"id\":\"j-1\",\"status\":\"FAILED\",\"attempts\":3,"
                        + "\"error\":\"worker lost\\nattempts exhausted\"}")))
        .endsWith("Error:         worker lost attempts exhausted\n");
  }

  @Test
  void aResultTooDeepForJsonIsShownAsItsText() {
    String deep = "[".repeat(70) + "1" + "]".repeat(70);
    String job = "{\"id\":\"j\",\"status\":\"SUCCEEDED\",\"resultJson\":" + quoted(deep) + "}";

    assertThat(JobFormat.detail(job(job))).endsWith("Result:        " + deep + "\n");
    assertThat(JobFormat.outcome(job(job), 20)).isEqualTo("[".repeat(17) + "...");
    assertThat(JobFormat.list(page("{\"items\":[" + job + "]}"), ""))
        .contains(" " + "[".repeat(JobFormat.RESULT_WIDTH - 3) + "...");
  }

  @Test
  void aSucceededJobWithANullResultSaysNull() {
    assertThat(JobFormat.detail(job("{\"id\":\"j\",\"status\":\"SUCCEEDED\",\"result\":null}")))
        .endsWith("Result:        null\n");
  }

  @Test
  void listHasOneRowPerJobWithResultOrErrorCutToWidth() {
    String page =
        """
        {"items":[
          {"id":"j-2","type":"fail","status":"FAILED","workerId":"w-2","attempts":3,
           "error":"handler said no"},
          {"id":"j-1","type":"echo","status":"SUCCEEDED","affinityKey":"proxy-eu",
           "workerId":"w-1","attempts":1,"result":{"text":"%s"}}],
         "nextCursor":null}
        """
            .formatted("x".repeat(80));

    assertThat(JobFormat.list(page(page), ""))
        .isEqualTo(
            """
            ID   TYPE  STATUS     KEY       WORKER  ATTEMPTS  RESULT/ERROR
            j-2  fail  FAILED     -         w-2     3         error: handler said no
            j-1  echo  SUCCEEDED  proxy-eu  w-1     1         {"text":"%s...
            """
                .formatted("x".repeat(JobFormat.RESULT_WIDTH - 3 - 9)));
  }

  @Test
  void anEmptyListSaysSo() {
    assertThat(JobFormat.list(page("{\"items\":[],\"nextCursor\":null}"), ""))
        .isEqualTo("No jobs found.\n");
  }

  @Test
  void progressNamesStatusWorkerAndRetries() {
    assertThat(JobFormat.progress(job("{\"id\":\"j\",\"status\":\"QUEUED\",\"attempts\":0}")))
        .isEqualTo("job j is QUEUED");
    assertThat(
            JobFormat.progress(
                job("{\"id\":\"j\",\"status\":\"RUNNING\",\"workerId\":\"w\",\"attempts\":2}")))
        .isEqualTo("job j is RUNNING on worker w (attempt 2)");
  }

  private static JobView job(String json) {
    return Json.read(json, JobView.class);
  }

  private static JobPage page(String json) {
    return Json.read(json, JobPage.class);
  }

  private static String quoted(String text) {
    return new com.fasterxml.jackson.databind.node.TextNode(text).toString();
  }
}
