package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;

/** The table views of job JSON. */
public final class JobFormat {

  // Results can be any JSON: the list shows the start of it, `jobs show` all of it.
  static final int RESULT_WIDTH = 60;

  private JobFormat() {}

  /**
   * @param moreArgs the filter flags to repeat in the hint for the next page, e.g. " --limit 10"
   */
  public static String list(JsonNode page, String moreArgs) {
    JsonNode items = page.path("items");
    if (items.isEmpty()) {
      return "No jobs found.\n";
    }
    Table table = new Table("ID", "TYPE", "STATUS", "KEY", "WORKER", "ATTEMPTS", "RESULT/ERROR");
    for (JsonNode job : items) {
      table.row(
          Json.display(job, "id"),
          Json.display(job, "type"),
          Json.display(job, "status"),
          Json.display(job, "affinityKey"),
          Json.display(job, "workerId"),
          Json.display(job, "attempts"),
          outcome(job, RESULT_WIDTH));
    }
    String next = Json.text(page, "nextCursor");
    return table.render()
        + (next == null ? "" : "\nMore: conductor jobs list --cursor " + next + moreArgs + "\n");
  }

  public static String detail(JsonNode job) {
    Table summary =
        new Table()
            .row("ID:", Json.display(job, "id"))
            .row("Type:", Json.display(job, "type"))
            .row("Status:", Json.display(job, "status"))
            .row("Affinity key:", Json.display(job, "affinityKey"))
            .row("Worker:", Json.display(job, "workerId"))
            .row("Attempts:", Json.display(job, "attempts"))
            .row("Created:", Json.display(job, "createdAt"))
            .row("Started:", Json.display(job, "startedAt"))
            .row("Finished:", Json.display(job, "finishedAt"));
    JsonNode result = job.get("result");
    String resultJson = Json.text(job, "resultJson");
    if (result != null && !result.isNull()) {
      summary.row("Result:", compact(result, Integer.MAX_VALUE));
    } else if (resultJson != null) {
      summary.row("Result:", oneLine(resultJson, Integer.MAX_VALUE));
    } else if (JobStatus.SUCCEEDED.name().equals(Json.text(job, "status"))) {
      summary.row("Result:", "null");
    }
    if (Json.text(job, "error") != null) {
      summary.row("Error:", oneLine(Json.text(job, "error"), Integer.MAX_VALUE));
    }
    return summary.render();
  }

  /** "Job <id> is <status>", without a full stop: what submit and cancel answer. */
  public static String brief(JsonNode job) {
    return "Job " + Json.display(job, "id") + " is " + Json.display(job, "status");
  }

  /** One line while waiting: where the job is now. */
  public static String progress(JsonNode job) {
    StringBuilder line =
        new StringBuilder("job ")
            .append(Json.display(job, "id"))
            .append(" is ")
            .append(Json.display(job, "status"));
    String worker = Json.text(job, "workerId");
    if (worker != null) {
      line.append(" on worker ").append(worker);
    }
    int attempts = job.path("attempts").asInt();
    if (attempts > 1) {
      line.append(" (attempt ").append(attempts).append(')');
    }
    return line.toString();
  }

  /**
   * The error if there is one, else the result as compact JSON, cut to {@code width}; a result
   * nested too deeply for the server to return as JSON comes as its text ({@code resultJson}).
   */
  public static String outcome(JsonNode job, int width) {
    String error = Json.text(job, "error");
    if (error != null) {
      return oneLine("error: " + error, width);
    }
    JsonNode result = job.get("result");
    if (result != null && !result.isNull()) {
      return compact(result, width);
    }
    String resultJson = Json.text(job, "resultJson");
    return resultJson == null ? "-" : oneLine(resultJson, width);
  }

  static String compact(JsonNode value, int width) {
    return oneLine(value.toString(), width);
  }

  private static String oneLine(String text, int width) {
    String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.length() <= width ? line : line.substring(0, width - 3) + "...";
  }
}
