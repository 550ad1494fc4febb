package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.BatchJobResult;
import dev.conductor.api.v1.Problem;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmittedBatch;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import jakarta.annotation.Nullable;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The jobs of a file sent through {@code POST /v1/jobs/batch}, in batches of at most 1,000 jobs and
 * about 1 MB (the server's request size limit), one line of output per job and a summary.
 */
final class FileSubmission {
  /** Below the server's default 1 MB request limit, leaving room for the batch's own JSON. */
  static final int MAX_BATCH_BYTES = 1_000_000;

  private final ConductorClient client;
  private final PrintWriter out;
  private final Function<Object, String> render;
  private final boolean structured;
  private int accepted;
  private int replayed;
  private int refused;
  @Nullable private String firstRefusal;
  private int firstRefusalStatus;
  @Nullable private Duration firstRetryAfter;
  private final ArrayNode results = Json.MAPPER.createArrayNode();

  /**
   * @param render the summary as {@code --output} asks for it, when {@code structured}
   * @param structured whether the output is for a script (json, yaml, name), not a line per job
   */
  FileSubmission(
      ConductorClient client,
      PrintWriter out,
      Function<Object, String> render,
      boolean structured) {
    this.client = client;
    this.out = out;
    this.render = render;
    this.structured = structured;
  }

  /**
   * Sends every job and prints each one's result.
   *
   * @return 0 if every job was accepted
   * @throws ApiException the first refused job's error, carrying its status (its exit code), once
   *     all were sent; or a whole batch's refusal, naming the lines not sent
   */
  int submit(List<JobFile.Line> lines) {
    for (List<JobFile.Line> batch : batches(lines)) {
      SubmittedBatch answer;
      try {
        answer =
            client.submitJobs(
                new SubmitBatchRequest(batch.stream().map(JobFile.Line::job).toList()));
      } catch (ApiException e) {
        summary();
        throw new ApiException(
            e.status(),
            "the batch of lines "
                + batch.get(0).number()
                + "-"
                + batch.get(batch.size() - 1).number()
                + " was refused: "
                + e.getMessage()
                + "; from line "
                + batch.get(0).number()
                + " on, nothing was sent",
            e.retryAfter().orElse(null));
      }
      for (int i = 0; i < batch.size(); i++) {
        report(batch.get(i).number(), answer.results().get(i));
      }
    }
    summary();
    if (refused == 0) {
      return ExitCodes.OK;
    }
    throw new ApiException(
        firstRefusalStatus,
        refused + " of " + lines.size() + " jobs refused; the first, " + firstRefusal,
        firstRetryAfter);
  }

  /** Consecutive jobs, at most 1,000 and about {@link #MAX_BATCH_BYTES} of JSON per batch. */
  static List<List<JobFile.Line>> batches(List<JobFile.Line> lines) {
    List<List<JobFile.Line>> batches = new ArrayList<>();
    List<JobFile.Line> current = new ArrayList<>();
    long bytes = 0;
    for (JobFile.Line line : lines) {
      if (!current.isEmpty()
          && (current.size() == SubmitBatchRequest.MAX_JOBS
              || bytes + line.bytes() + 1 > MAX_BATCH_BYTES)) {
        batches.add(current);
        current = new ArrayList<>();
        bytes = 0;
      }
      current.add(line);
      bytes += line.bytes() + 1;
    }
    if (!current.isEmpty()) {
      batches.add(current);
    }
    return batches;
  }

  private void report(int line, BatchJobResult result) {
    Problem error = result.error();
    if (error == null) {
      accepted++;
      boolean replay = Boolean.TRUE.equals(result.replayed());
      if (replay) {
        replayed++;
      }
      print(
          line,
          result,
          "line "
              + line
              + ": "
              + result.id()
              + " "
              + result.status()
              + (replay ? " (replayed)" : ""));
      return;
    }
    refused++;
    String detail = error.detail() == null ? error.title() : error.detail();
    String text = "line " + line + ": refused (" + error.status() + "): " + detail;
    if (firstRefusal == null) {
      firstRefusal = text;
      firstRefusalStatus = error.status();
      firstRetryAfter =
          result.retryAfter() == null ? null : Duration.ofSeconds(result.retryAfter());
    }
    print(line, result, text);
  }

  private void print(int line, BatchJobResult result, String text) {
    if (structured) {
      ObjectNode node = Json.MAPPER.createObjectNode().put("line", line);
      node.setAll((ObjectNode) Json.MAPPER.valueToTree(result));
      results.add(node);
    } else {
      out.println(text);
    }
  }

  private void summary() {
    if (structured) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("accepted", accepted).put("refused", refused).set("results", results);
      out.print(render.apply(node));
    } else {
      out.println(
          (accepted + refused)
              + " jobs sent: "
              + accepted
              + " accepted ("
              + replayed
              + " replayed), "
              + refused
              + " refused.");
    }
    out.flush();
  }
}
