package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.api.v1.JobPage;
import dev.conductor.api.v1.JobView;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;

/** The table views of jobs. */
public final class JobFormat {

  // Results can be any JSON: the list shows the start of it, `jobs show` all of it.
  static final int RESULT_WIDTH = 60;

  private JobFormat() {}

  /**
   * @param moreArgs the filter flags to repeat in the hint for the next page, e.g. " --limit 10"
   */
  public static String list(JobPage page, String moreArgs) {
    if (page.items() == null || page.items().isEmpty()) {
      return "No jobs found.\n";
    }
    Table table = new Table("ID", "TYPE", "STATUS", "KEY", "WORKER", "ATTEMPTS", "RESULT/ERROR");
    for (JobView job : page.items()) {
      table.row(
          Json.display(job.id()),
          Json.display(job.type()),
          Json.display(job.status()),
          Json.display(job.affinityKey()),
          Json.display(job.workerId()),
          Json.display(job.attempts()),
          outcome(job, RESULT_WIDTH));
    }
    String next = page.nextCursor();
    return table.render()
        + (next == null ? "" : "\nMore: conductor jobs list --cursor " + next + moreArgs + "\n");
  }

  public static String detail(JobView job) {
    Table summary =
        new Table()
            .row("ID:", Json.display(job.id()))
            .row("Type:", Json.display(job.type()))
            .row("Status:", Json.display(job.status()))
            .row("Affinity key:", Json.display(job.affinityKey()));
    if (job.location() != null) {
      summary.row("Location:", Json.display(job.location()));
    }
    summary
        .row("Worker:", Json.display(job.workerId()))
        .row("Attempts:", Json.display(job.attempts()))
        .row("Created:", Json.display(job.createdAt()))
        .row("Started:", Json.display(job.startedAt()))
        .row("Finished:", Json.display(job.finishedAt()));
    JsonNode result = job.result();
    if (result != null && !result.isNull()) {
      summary.row("Result:", compact(result, Integer.MAX_VALUE));
    } else if (job.resultJson() != null) {
      summary.row("Result:", oneLine(job.resultJson(), Integer.MAX_VALUE));
    } else if (JobStatus.SUCCEEDED.name().equals(job.status())) {
      summary.row("Result:", "null");
    }
    if (job.error() != null) {
      summary.row("Error:", oneLine(job.error(), Integer.MAX_VALUE));
    }
    return summary.render();
  }

  /** "Job <id> is <status>", without a full stop: what submit and cancel answer. */
  public static String brief(String id, String status) {
    return "Job " + Json.display(id) + " is " + Json.display(status);
  }

  /** One line while waiting: where the job is now. */
  public static String progress(JobView job) {
    StringBuilder line =
        new StringBuilder("job ")
            .append(Json.display(job.id()))
            .append(" is ")
            .append(Json.display(job.status()));
    if (job.workerId() != null) {
      line.append(" on worker ").append(job.workerId());
    }
    if (job.attempts() > 1) {
      line.append(" (attempt ").append(job.attempts()).append(')');
    }
    return line.toString();
  }

  /**
   * The error if there is one, else the result as compact JSON, cut to {@code width}; a result
   * nested too deeply for the server to return as JSON comes as its text ({@code resultJson}).
   */
  public static String outcome(JobView job, int width) {
    if (job.error() != null) {
      return oneLine("error: " + job.error(), width);
    }
    JsonNode result = job.result();
    if (result != null && !result.isNull()) {
      return compact(result, width);
    }
    return job.resultJson() == null ? "-" : oneLine(job.resultJson(), width);
  }

  static String compact(JsonNode value, int width) {
    return oneLine(value.toString(), width);
  }

  private static String oneLine(String text, int width) {
    String line = text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return line.length() <= width ? line : line.substring(0, width - 3) + "...";
  }
}
