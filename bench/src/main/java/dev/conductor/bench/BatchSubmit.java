package dev.conductor.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.SubmitBatchRequest;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedBatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * (batch) {@code POST /v1/jobs/batch} of 1,000 small {@code echo} jobs, as the client sees it (the
 * request written, sent and answered), each run on a quiet conductor: the jobs of the run before
 * have all ended first. Beside it the same 1,000 jobs as one {@code POST /v1/jobs} each, one after
 * the other, once: what the batch saves. The jobs run, so each run is followed by a drain.
 */
final class BatchSubmit {
  static final int JOBS = SubmitBatchRequest.MAX_JOBS;
  private static final int WARMUP = 3;
  private static final double TARGET_MS = 100;
  private static final Duration DRAIN = Duration.ofSeconds(120);

  private final ConductorClient app;
  private final ConductorDatabase db;
  private final String tenant;
  private final int runs;

  BatchSubmit(ConductorApi api, ConductorDatabase db, String tenant, String apiKey, int runs) {
    this.app = api.tenant(apiKey);
    this.db = db;
    this.tenant = tenant;
    this.runs = runs;
  }

  List<Row> run() {
    Bench.progress("batch: %d warm-up batches of %d jobs, then %d measured", WARMUP, JOBS, runs);
    Samples latency = new Samples();
    Samples drains = new Samples();
    int round = 0;
    for (int i = 0; i < WARMUP + runs; i++) {
      SubmitBatchRequest batch = new SubmitBatchRequest(echoJobs(round++, JOBS));
      long start = System.nanoTime();
      SubmittedBatch answer = app.submitJobs(batch);
      long took = System.nanoTime() - start;
      if (answer.accepted() != JOBS) {
        throw new IllegalStateException(
            "batch " + i + ": " + answer.refused() + " jobs refused: " + answer.results());
      }
      long drained = drain();
      if (i >= WARMUP) {
        latency.addNanos(took);
        drains.addNanos(drained);
      }
    }
    Bench.progress("batch: the same %d jobs as single POST /v1/jobs, one after the other", JOBS);
    long start = System.nanoTime();
    for (SubmitJobRequest job : echoJobs(round, JOBS)) {
      app.submitJob(job);
    }
    double singles = (System.nanoTime() - start) / 1e6;
    drain();
    return List.of(
        Row.atMost("batch", "POST /v1/jobs/batch of 1,000 jobs, p50", latency.p50(), TARGET_MS),
        Row.atMost(
            "batch", "POST /v1/jobs/batch of 1,000 jobs, p90", latency.percentile(90), TARGET_MS),
        Row.info("batch", "POST /v1/jobs/batch of 1,000 jobs", latency.summary()),
        Row.info(
            "batch",
            "the same 1,000 jobs as sequential POST /v1/jobs (once)",
            Samples.ms(singles) + " ms"),
        Row.info("batch", "a batch's 1,000 jobs submitted → all ended", drains.summary()));
  }

  /** {@code count} small {@code echo} jobs, {@code {"round":R,"n":i}}. */
  static List<SubmitJobRequest> echoJobs(int round, int count) {
    List<SubmitJobRequest> jobs = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      jobs.add(
          new SubmitJobRequest(
              "echo",
              JsonNodeFactory.instance.objectNode().put("round", round).put("n", i),
              null,
              null,
              null));
    }
    return jobs;
  }

  /** Waits until the tenant has no job left that has not ended; returns how long it took. */
  private long drain() {
    long start = System.nanoTime();
    long deadline = start + DRAIN.toNanos();
    while (db.backlog(tenant).total() > 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("batch: jobs of " + tenant + " not ended within " + DRAIN);
      }
      ConductorApi.sleep(Duration.ofMillis(20));
    }
    return System.nanoTime() - start;
  }
}
