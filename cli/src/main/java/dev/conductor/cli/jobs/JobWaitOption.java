package dev.conductor.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.JobFailedException;
import dev.conductor.cli.Json;
import dev.conductor.cli.TenantConnectionOptions;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --wait} for a job: long-poll until it ends, then exit by how it ended. */
public final class JobWaitOption {

  @Option(
      names = "--wait",
      description =
          "Wait until the job ends (long-polling the server) and print it; exit 1 if it FAILED or"
              + " was CANCELLED.")
  boolean wait;

  public boolean requested() {
    return wait;
  }

  /**
   * Long-polls until the job ends. Each change of status is one line, on stdout for tables and on
   * stderr when stdout carries JSON.
   *
   * @param last the job as last seen
   */
  JsonNode await(
      TenantConnectionOptions connection, ConductorClient client, String id, JsonNode last) {
    PrintWriter progress = connection.json() ? connection.err() : connection.out();
    return JobWaiter.over(
            client,
            job -> {
              progress.println(JobFormat.progress(job));
              progress.flush();
            })
        .await(id, last);
  }

  /**
   * @throws JobFailedException if the ended job did not succeed
   */
  static void checkSucceeded(JsonNode job) {
    String status = Json.text(job, "status");
    if (JobStatus.SUCCEEDED.name().equals(status)) {
      return;
    }
    String error = Json.text(job, "error");
    throw new JobFailedException(
        "job "
            + Json.display(job, "id")
            + (JobStatus.CANCELLED.name().equals(status) ? " was CANCELLED" : " ended " + status)
            + (error == null ? "" : ": " + error));
  }

  /** Prints a job: the server's JSON, or the key-value block. */
  static void print(TenantConnectionOptions connection, JsonNode job) {
    PrintWriter out = connection.out();
    out.print(connection.json() ? Json.pretty(job) + "\n" : JobFormat.detail(job));
    out.flush();
  }
}
