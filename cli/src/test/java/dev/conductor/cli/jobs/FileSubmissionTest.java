package dev.conductor.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.SubmitJobRequest;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the lines of a file become batches: at most 1,000 jobs and about 1 MB each, in order. */
@Timeout(30)
class FileSubmissionTest {

  @Test
  void batchesHoldAtMostAThousandJobsInOrder() {
    List<JobFile.Line> lines = new ArrayList<>();
    for (int i = 1; i <= 2500; i++) {
      lines.add(new JobFile.Line(i, new SubmitJobRequest("echo", null, null, null, null), 20));
    }

    List<List<JobFile.Line>> batches = FileSubmission.batches(lines);

    assertThat(batches).extracting(List::size).containsExactly(1000, 1000, 500);
    assertThat(batches.get(1).get(0).number()).isEqualTo(1001);
    assertThat(batches.get(2).get(499).number()).isEqualTo(2500);
  }

  @Test
  void largeJobsSplitBatchesBeforeTheRequestLimitAndAnOversizedOneGoesAlone() {
    SubmitJobRequest job = new SubmitJobRequest("echo", null, null, null, null);
    List<JobFile.Line> lines =
        List.of(
            new JobFile.Line(1, job, 400_000),
            new JobFile.Line(2, job, 400_000),
            new JobFile.Line(3, job, 400_000),
            new JobFile.Line(4, job, 2_000_000),
            new JobFile.Line(5, job, 10));

    assertThat(FileSubmission.batches(lines))
        .extracting(batch -> batch.stream().map(JobFile.Line::number).toList())
        .containsExactly(List.of(1, 2), List.of(3), List.of(4), List.of(5));
  }

  @Test
  void blankLinesAreSkippedAndLinesKeepTheirNumbers() {
    List<JobFile.Line> lines =
        JobFile.read(
            "jobs.ndjson",
            new BufferedReader(
                new StringReader("\n{\"type\":\"echo\",\"payload\":[1]}\n  \n{\"type\":\"x\"}")));

    assertThat(lines).extracting(JobFile.Line::number).containsExactly(2, 4);
    assertThat(lines.get(0).job().payload().toString()).isEqualTo("[1]");
    assertThat(lines.get(1).job().type()).isEqualTo("x");
  }
}
