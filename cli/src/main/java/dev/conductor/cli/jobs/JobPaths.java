package dev.conductor.cli.jobs;

import dev.conductor.cli.ConductorClient;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.StringJoiner;

/** The job API's paths. */
public final class JobPaths {

  static final String JOBS = "/v1/jobs";

  private JobPaths() {}

  static String job(String id) {
    return JOBS + "/" + ConductorClient.segment(id);
  }

  /** The long-poll: the server answers when the job ends or after {@code wait}, whichever first. */
  static String awaitJob(String id, Duration wait) {
    return job(id) + "?wait=" + wait.toSeconds() + "s";
  }

  /** The list of jobs; a null status, limit or cursor is left out of the query. */
  public static String list(JobStatus status, Integer limit, String cursor) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (status != null) {
      query.add("status=" + status.name());
    }
    if (limit != null) {
      query.add("limit=" + limit);
    }
    if (cursor != null && !cursor.isBlank()) {
      query.add("cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    }
    return JOBS + query;
  }
}
