package dev.conductor.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmitJobRequest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * (a) Warm dispatch latency: one job at a time on a tenant whose worker is already READY, submit →
 * started. The headline is the server's own clock (startedAt − createdAt: createdAt is taken just
 * before the job's INSERT, startedAt when the worker's {@code started} report is applied). Beside
 * it the client's view (POST sent → a GET first shows startedAt), which adds HTTP and up to one
 * poll interval, and the server path split at jobs.dispatched_at and at the worker's log line
 * (millisecond wall clock, so the two halves carry about ±0.5 ms each).
 */
final class WarmDispatch {
  private static final long POLL_NANOS = 1_000_000;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(10);

  private final ConductorClient app;
  private final ConductorDatabase db;
  private final WorkerLogs logs;
  private final int jobs;
  private final int warmup;
  private final Duration gap;

  WarmDispatch(
      ConductorApi api,
      ConductorDatabase db,
      WorkerLogs logs,
      String apiKey,
      int jobs,
      int warmup,
      Duration gap) {
    this.app = api.tenant(apiKey);
    this.db = db;
    this.logs = logs;
    this.jobs = jobs;
    this.warmup = warmup;
    this.gap = gap;
  }

  List<Row> run() {
    Bench.progress("a: starting a worker (first job)");
    ConductorApi.awaitEnded(app, submit(0), Duration.ofSeconds(60));
    Bench.progress(
        "a: %d warm-up jobs, then %d measured, one at a time, %d ms apart",
        warmup, jobs, gap.toMillis());
    for (int i = 0; i < warmup; i++) {
      runOne(i);
    }
    Samples server = new Samples();
    Samples client = new Samples();
    Samples accept = new Samples();
    List<String> ids = new ArrayList<>();
    int noStartedAt = 0;
    for (int i = 0; i < jobs; i++) {
      Sample sample = runOne(warmup + i);
      if (Double.isNaN(sample.serverMillis())) {
        noStartedAt++;
      } else {
        server.add(sample.serverMillis());
      }
      client.addNanos(sample.clientNanos());
      accept.addNanos(sample.acceptNanos());
      ids.add(sample.id());
    }
    Samples queued = new Samples();
    Samples toWorker = new Samples();
    Samples reported = new Samples();
    Map<String, List<LocalTime>> received = logs.executions(new HashSet<>(ids));
    for (ConductorDatabase.JobTimes job : db.jobs(ids)) {
      if (job.startedAt() == null) {
        continue;
      }
      queued.add(ConductorDatabase.millisBetween(job.createdAt(), job.dispatchedAt()));
      List<LocalTime> runs = received.getOrDefault(job.id().toString(), List.of());
      if (runs.size() == 1) {
        Instant atWorker = WorkerLogs.at(runs.get(0), job.startedAt());
        toWorker.add(ConductorDatabase.millisBetween(job.dispatchedAt(), atWorker));
        reported.add(ConductorDatabase.millisBetween(atWorker, job.startedAt()));
      }
    }
    Bench.progress("a: server %s", server.summary());
    return List.of(
        Row.atMost("a", "warm dispatch p50 (server: startedAt − createdAt)", server.p50(), 3),
        Row.atMost("a", "warm dispatch p99 (server)", server.p99(), 20),
        Row.info("a", "warm dispatch, client view (POST → GET shows started)", client.summary()),
        Row.info("a", "POST /v1/jobs → 202", accept.summary()),
        Row.info(
            "a",
            "SUCCEEDED without startedAt (started report lost a race), excluded",
            noStartedAt + " of " + jobs),
        Row.info(
            "a", "  createdAt → dispatchedAt (insert, commit, routing pass)", queued.summary()),
        Row.info(
            "a",
            "  dispatchedAt → worker logs \"job started\" (commit, send, receive)",
            toWorker.summary()),
        Row.info(
            "a", "  worker logs \"job started\" → startedAt (report, apply)", reported.summary()));
  }

  private record Sample(String id, double serverMillis, long clientNanos, long acceptNanos) {}

  /**
   * Submits, polls until started (or ended: see {@link ConductorApi#started}), then until ended, so
   * the next job finds the worker idle. serverMillis is NaN when the job ended without a startedAt.
   */
  private Sample runOne(int n) {
    if (!gap.isZero()) {
      ConductorApi.sleep(gap);
    }
    long t0 = System.nanoTime();
    String id = submit(n);
    long accepted = System.nanoTime();
    long deadline = t0 + JOB_TIMEOUT.toNanos();
    JobView job;
    do {
      LockSupport.parkNanos(POLL_NANOS);
      job = app.job(id);
      check(job, deadline);
    } while (!ConductorApi.started(job) && !ConductorApi.ended(job));
    long seen = System.nanoTime();
    double serverMillis = ConductorDatabase.millisBetween(job.createdAt(), job.startedAt());
    while (!ConductorApi.ended(job)) {
      LockSupport.parkNanos(POLL_NANOS);
      job = app.job(id);
      check(job, deadline);
    }
    if (!job.status().equals("SUCCEEDED")) {
      throw new IllegalStateException("warm job did not succeed: " + job);
    }
    return new Sample(id, serverMillis, seen - t0, accepted - t0);
  }

  private String submit(int n) {
    return app.submitJob(
            new SubmitJobRequest(
                "echo", JsonNodeFactory.instance.objectNode().put("n", n), null, null, null))
        .id();
  }

  private static void check(JobView job, long deadline) {
    if (System.nanoTime() > deadline) {
      throw new IllegalStateException("warm job stuck: " + job);
    }
  }
}
