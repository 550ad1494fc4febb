package dev.conductor.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.WorkerView;
import jakarta.annotation.Nullable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * (c, f) Cold start and (d, f) teardown lag, one worker at a time, on the tenant's plan's runtime
 * (processes for c and d, containers for f). Each run submits to a fresh affinity key, so a new
 * worker must start (c: startedAt − createdAt, server clock), then polls {@code GET /v1/workers}
 * every 50 ms until that worker is STOPPED (d: first poll showing STOPPED − (lastActivityAt +
 * idleTimeout), so up to 50 ms of the lag is the poll; the server's own workers.stopped_at is shown
 * beside it). The next run starts only after the previous worker stopped, so runs do not share the
 * CPU.
 */
final class ColdStart {
  private static final Duration POLL = Duration.ofMillis(50);

  private final ConductorClient operator;
  private final ConductorClient app;
  private final ConductorDatabase db;
  private final String tenant;
  private final int runs;
  private final Duration idleTimeout;
  private final WorkerLogs workerLogs;

  ColdStart(
      ConductorApi api,
      ConductorDatabase db,
      String tenant,
      String apiKey,
      int runs,
      Duration idleTimeout,
      WorkerLogs workerLogs) {
    this.operator = api.operator();
    this.app = api.tenant(apiKey);
    this.db = db;
    this.tenant = tenant;
    this.runs = runs;
    this.idleTimeout = idleTimeout;
    this.workerLogs = workerLogs;
  }

  /** Rows of the cold starts, of the teardowns, and the cold-start p50 (ms). */
  record Results(List<Row> coldStart, List<Row> teardown, double coldStartP50) {}

  /**
   * @param scenario the label of the cold-start rows ({@code c} on processes, {@code f} on docker)
   * @param targetMs the cold-start p50 target
   * @param teardownScenario the label of the teardown rows
   */
  Results run(String scenario, double targetMs, String teardownScenario) {
    Samples cold = new Samples();
    Samples coldClient = new Samples();
    Samples decide = new Samples();
    Samples launch = new Samples();
    Samples boot = new Samples();
    Samples connect = new Samples();
    Samples receivers = new Samples();
    Samples deliver = new Samples();
    Samples lagPolled = new Samples();
    Samples lagServer = new Samples();
    List<String> stopReasons = new ArrayList<>();
    int noStartedAt = 0;
    for (int run = 0; run < runs; run++) {
      String key = "cold-" + run + "-" + UUID.randomUUID().toString().substring(0, 8);
      long t0 = System.nanoTime();
      String id =
          app.submitJob(
                  new SubmitJobRequest(
                      "echo",
                      JsonNodeFactory.instance.objectNode().put("run", run),
                      key,
                      null,
                      null))
              .id();
      JobView job = app.job(id);
      while (!ConductorApi.started(job) && !ConductorApi.ended(job)) {
        ConductorApi.sleep(Duration.ofMillis(5));
        job = app.job(id);
        if (System.nanoTime() - t0 > Duration.ofSeconds(60).toNanos()) {
          throw new IllegalStateException("cold job not started within 60 s: " + job);
        }
      }
      coldClient.addNanos(System.nanoTime() - t0);
      if (!ConductorApi.started(job)) {
        noStartedAt++;
      }
      job = ConductorApi.awaitEnded(app, id, Duration.ofSeconds(60));
      UUID workerId = UUID.fromString(job.workerId());
      ConductorDatabase.JobTimes jobTimes = db.jobs(List.of(id)).get(0);
      ConductorDatabase.WorkerTimes started = db.worker(workerId);
      double coldMs = ConductorDatabase.millisBetween(jobTimes.createdAt(), jobTimes.startedAt());
      cold.add(coldMs);
      Instant workerStarted = started == null ? null : started.startedAt();
      decide.add(ConductorDatabase.millisBetween(jobTimes.createdAt(), workerStarted));
      launch.add(ConductorDatabase.millisBetween(workerStarted, jobTimes.dispatchedAt()));
      deliver.add(ConductorDatabase.millisBetween(jobTimes.dispatchedAt(), jobTimes.startedAt()));
      workerLogs
          .startup(workerId)
          .ifPresent(
              startup -> {
                boot.add(startup.boot());
                connect.add(startup.connect());
                receivers.add(startup.ready());
              });

      WorkerView stopped = awaitStopped(workerId);
      Instant seen = Instant.now();
      Instant lastActivity = stopped.lastActivityAt();
      Instant due = lastActivity.plus(idleTimeout);
      double lagMs = ConductorDatabase.millisBetween(due, seen);
      lagPolled.add(lagMs);
      double serverLagMs = serverLagMillis(db.worker(workerId));
      lagServer.add(serverLagMs);
      stopReasons.add(String.valueOf(stopped.stopReason()));
      Bench.progress(
          "c/d: run %d/%d cold %.0f ms, teardown lag %.0f ms (server %.0f ms)",
          run + 1, runs, coldMs, lagMs, serverLagMs);
    }
    String c0 = scenario;
    List<Row> c =
        List.of(
            Row.atMost(c0, "cold start p50 (server: startedAt − createdAt)", cold.p50(), targetMs),
            Row.info(
                c0,
                "cold start p99 / max",
                Samples.ms(cold.p99()) + " / " + Samples.ms(cold.max()) + " ms"),
            Row.info(
                c0, "cold start, client view (POST → GET shows started)", coldClient.summary()),
            Row.info(
                c0, "  createdAt → worker row (routing pass decides to start)", decide.summary()),
            Row.info(
                c0,
                "  worker row → job dispatchedAt (launch, JVM, connect, ready)",
                launch.summary()),
            Row.info(
                c0,
                "    worker JVM start → its main runs (JVM boot, class loading)",
                boot.summary()),
            Row.info(c0, "    → connected to Artemis", connect.summary()),
            Row.info(c0, "    → receivers open, ready sent", receivers.summary()),
            Row.info(c0, "  dispatchedAt → startedAt", deliver.summary()),
            Row.info(
                c0,
                "SUCCEEDED without startedAt (report race), excluded above",
                noStartedAt + " of " + runs));
    List<Row> d =
        List.of(
            Row.atMost(
                teardownScenario, "teardown lag p50 (polled at 50 ms)", lagPolled.p50(), 500),
            Row.atMost(
                teardownScenario, "teardown lag max (polled at 50 ms)", lagPolled.max(), 500),
            Row.info(teardownScenario, "teardown lag, server stopped_at", lagServer.summary()),
            Row.info(
                teardownScenario,
                "idle timeout / stop reasons",
                idleTimeout.toMillis() + " ms / " + distinct(stopReasons)));
    return new Results(c, d, cold.p50());
  }

  /** From the worker's idle deadline to its stop, as the conductor recorded them; NaN if absent. */
  private double serverLagMillis(@Nullable ConductorDatabase.WorkerTimes ended) {
    if (ended == null || ended.lastActivityAt() == null) {
      return Double.NaN;
    }
    return ConductorDatabase.millisBetween(
        ended.lastActivityAt().plus(idleTimeout), ended.stoppedAt());
  }

  private WorkerView awaitStopped(UUID workerId) {
    long deadline = System.nanoTime() + idleTimeout.plusSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkerView worker : operator.workers(tenant, true)) {
        if (worker.id().equals(workerId.toString())) {
          String state = worker.state();
          if (state.equals("STOPPED") || state.equals("LOST")) {
            return worker;
          }
        }
      }
      ConductorApi.sleep(POLL);
    }
    throw new IllegalStateException("worker " + workerId + " not stopped in time");
  }

  private static String distinct(List<String> values) {
    return String.join(", ", new java.util.TreeSet<>(values));
  }
}
