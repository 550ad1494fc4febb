package dev.conductor.cli.jobs;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmittedJob;
import dev.conductor.cli.JobFailedException;
import dev.conductor.cli.Json;
import dev.conductor.cli.TenantConnectionOptions;
import jakarta.annotation.Nullable;
import java.io.PrintWriter;
import java.util.function.Function;
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
   * The rest of a {@code --wait}: announces the wait (tables only), long-polls until the job ends,
   * prints it and fails unless it succeeded.
   *
   * @param last the job as last seen
   * @param announcement the line to print before waiting, without "; waiting for it to end.", or
   *     null for none
   * @throws JobFailedException if the ended job did not succeed
   */
  void follow(
      TenantConnectionOptions connection,
      ConductorClient client,
      String id,
      JobView last,
      @Nullable String announcement) {
    follow(connection, client, announcement, waiter -> waiter.await(id, last));
  }

  /**
   * The same for a job just submitted: its progress starts from the submission's answer.
   *
   * @param announcement the line to print before waiting, without "; waiting for it to end."
   * @throws JobFailedException if the ended job did not succeed
   */
  void followSubmitted(
      TenantConnectionOptions connection,
      ConductorClient client,
      SubmittedJob submitted,
      String announcement) {
    follow(
        connection,
        client,
        announcement,
        waiter -> waiter.awaitSubmitted(submitted.id(), submitted.status()));
  }

  private static void follow(
      TenantConnectionOptions connection,
      ConductorClient client,
      @Nullable String announcement,
      Function<JobWaiter, JobView> await) {
    if (announcement != null && !connection.structured()) {
      connection.out().println(announcement + "; waiting for it to end.");
      connection.out().flush();
    }
    JobView job = await.apply(waiter(connection, client));
    print(connection, job);
    checkSucceeded(job);
  }

  /**
   * Long-polls until the job ends; each change of status, worker or attempt is one line, on stdout
   * for tables and on stderr when stdout carries JSON.
   */
  private static JobWaiter waiter(TenantConnectionOptions connection, ConductorClient client) {
    PrintWriter progress = connection.structured() ? connection.err() : connection.out();
    return JobWaiter.over(
        client,
        job -> {
          progress.println(JobFormat.progress(job));
          progress.flush();
        });
  }

  /**
   * @throws JobFailedException if the ended job did not succeed
   */
  private static void checkSucceeded(JobView job) {
    String status = job.status();
    if (JobStatus.SUCCEEDED.name().equals(status)) {
      return;
    }
    String error = job.error();
    throw new JobFailedException(
        "job "
            + Json.display(job.id())
            + (JobStatus.CANCELLED.name().equals(status) ? " was CANCELLED" : " ended " + status)
            + (error == null ? "" : ": " + error));
  }

  /** Prints a job: the server's JSON, or the key-value block. */
  static void print(TenantConnectionOptions connection, JobView job) {
    PrintWriter out = connection.out();
    out.print(connection.structured() ? connection.render(job) : JobFormat.detail(job));
    out.flush();
  }
}
