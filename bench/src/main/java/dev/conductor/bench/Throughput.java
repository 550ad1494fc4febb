package dev.conductor.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.conductor.api.client.ApiException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import dev.conductor.api.v1.SubmitJobRequest;
import dev.conductor.api.v1.SubmittedJob;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (b) Sustained end-to-end throughput: closed-loop submitters POST {@code echo} jobs for the
 * window, pausing while the tenant's backlog (QUEUED + in flight) exceeds a bound, so what is
 * measured is the rate the conductor sustains, not how fast a queue can grow. Then the backlog
 * drains and every accepted job is checked through the API.
 *
 * <p>Lost: accepted (202 with an id) but not SUCCEEDED once the drain ends. Duplicated, three ways:
 * a SUCCEEDED job with attempts &gt; 1 (dispatched twice); an id listed twice by {@code GET
 * /v1/jobs?status=SUCCEEDED}; or a job that more than one "job started jobId=…" line shows in the
 * worker logs (the worker logs each execution, so this also catches a broker redelivery of the same
 * attempt, which the attempts counter cannot see).
 */
final class Throughput {
  private static final Duration BACKLOG_CHECK = Duration.ofMillis(100);

  private final ConductorClient operator;
  private final ConductorClient app;
  private final ConductorDatabase db;
  private final WorkerLogs workerLogs;
  private final Path home;
  private final String tenant;
  private final Options options;

  Throughput(
      ConductorApi api,
      ConductorDatabase db,
      WorkerLogs workerLogs,
      Path home,
      String tenant,
      String apiKey,
      Options options) {
    this.operator = api.operator();
    this.app = api.tenant(apiKey);
    this.db = db;
    this.workerLogs = workerLogs;
    this.home = home;
    this.tenant = tenant;
    this.options = options;
  }

  List<Row> run() throws InterruptedException {
    Bench.progress("b: starting a worker (first job)");
    ConductorApi.awaitEnded(app, submit(payload(-1)).id(), Duration.ofSeconds(60));
    Bench.progress(
        "b: %d submitters for %ds, backlog bound %d",
        options.threads(), options.duration().toSeconds(), options.maxBacklog());
    Set<String> accepted = ConcurrentHashMap.newKeySet();
    AtomicLong refused = new AtomicLong();
    AtomicLong failedCalls = new AtomicLong();
    List<Samples> postTimes = new ArrayList<>();
    ConductorDatabase.Counters countersBefore = db.counters();
    Map<String, Duration> cpuBefore = CpuTime.snapshot(home);
    Instant start = Instant.now();
    long deadline = System.nanoTime() + options.duration().toNanos();
    Throttle throttle = new Throttle();
    List<Thread> submitters = new ArrayList<>();
    for (int t = 0; t < options.threads(); t++) {
      Samples mine = new Samples();
      postTimes.add(mine);
      int thread = t;
      Thread submitter =
          new Thread(
              () -> {
                int n = 0;
                while (System.nanoTime() < deadline) {
                  if (throttle.closed) {
                    ConductorApi.sleep(Duration.ofMillis(2));
                    continue;
                  }
                  long t0 = System.nanoTime();
                  try {
                    accepted.add(submit(payload(thread * 1_000_000 + n++)).id());
                    mine.addNanos(System.nanoTime() - t0);
                  } catch (ApiException refusal) {
                    refused.incrementAndGet();
                  } catch (RuntimeException e) {
                    failedCalls.incrementAndGet();
                  }
                }
              },
              "submitter-" + t);
      submitter.start();
      submitters.add(submitter);
    }
    long nextReport = System.nanoTime() + 10_000_000_000L;
    while (System.nanoTime() < deadline) {
      Thread.sleep(BACKLOG_CHECK.toMillis());
      ConductorDatabase.Backlog backlog = db.backlog(tenant);
      throttle.update(backlog.total() > options.maxBacklog());
      if (System.nanoTime() > nextReport) {
        nextReport += 10_000_000_000L;
        Bench.progress(
            "b: %d accepted, backlog %d queued + %d in flight",
            accepted.size(), backlog.queued(), backlog.inFlight());
      }
    }
    for (Thread submitter : submitters) {
      submitter.join();
    }
    Instant windowEnd = Instant.now();
    throttle.update(false);
    double pausedShare = throttle.closedShare();
    Map<String, Duration> cpuAfter = CpuTime.snapshot(home);
    ConductorDatabase.Counters counters = db.counters().minus(countersBefore);
    double windowSeconds = ConductorDatabase.millisBetween(start, windowEnd) / 1000.0;
    Bench.progress(
        "b: window over, %d accepted; draining (up to %ds)",
        accepted.size(), options.drain().toSeconds());

    long drainStart = System.nanoTime();
    long drainDeadline = drainStart + options.drain().toNanos();
    while (db.backlog(tenant).total() > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(BACKLOG_CHECK.toMillis());
    }
    double drainSeconds = (System.nanoTime() - drainStart) / 1e9;

    Map<String, Integer> listed = new HashMap<>();
    Samples sojourn = new Samples();
    long retried = 0;
    long inWindow = 0;
    long withoutStartedAt = 0;
    List<JobView> succeeded = new ArrayList<>();
    ConductorApi.forEachJob(app, "SUCCEEDED", succeeded::add);
    for (JobView job : succeeded) {
      String id = job.id();
      if (!accepted.contains(id)) {
        continue;
      }
      listed.merge(id, 1, Integer::sum);
      if (job.attempts() > 1) {
        retried++;
      }
      if (job.startedAt() == null) {
        withoutStartedAt++;
      }
      Instant created = job.createdAt();
      Instant finished = job.finishedAt();
      sojourn.add(ConductorDatabase.millisBetween(created, finished));
      if (finished != null && !finished.isAfter(windowEnd)) {
        inWindow++;
      }
    }
    long listedTwice = listed.values().stream().filter(count -> count > 1).count();
    Set<String> lost = new HashSet<>(accepted);
    lost.removeAll(listed.keySet());
    Map<String, Integer> lostByStatus = new HashMap<>();
    lost.stream().limit(200).forEach(id -> lostByStatus.merge(status(id), 1, Integer::sum));
    Map<String, List<LocalTime>> executions = workerLogs.executions(accepted);
    long ranTwice = executions.values().stream().filter(runs -> runs.size() > 1).count();

    Samples post = new Samples();
    postTimes.forEach(post::addAll);
    double rate = inWindow / windowSeconds;
    double perJob = Math.max(1, accepted.size());
    Bench.progress(
        "b: %.0f jobs/s, accepted %d, lost %d, duplicated %d/%d/%d",
        rate, accepted.size(), lost.size(), retried, listedTwice, ranTwice);
    return List.of(
        Row.info(
            "b",
            "submitters × window, backlog bound",
            String.format(
                "%d threads × %.1f s, ≤ %d jobs",
                options.threads(), windowSeconds, options.maxBacklog())),
        Row.info("b", "submitted (202 accepted)", accepted.size() + ""),
        Row.info("b", "succeeded", listed.size() + ""),
        new Row(
            "b",
            "throughput: SUCCEEDED within the window / window",
            String.format("%.0f jobs/s", rate),
            "≥ 2,000 jobs/s",
            rate >= 2000),
        new Row(
            "b",
            "lost (accepted, not SUCCEEDED after drain)",
            lost.size() + (lostByStatus.isEmpty() ? "" : " " + lostByStatus),
            "0",
            lost.isEmpty()),
        new Row(
            "b",
            "duplicated: attempts > 1 / listed twice / run twice per worker logs",
            retried + " / " + listedTwice + " / " + ranTwice,
            "0",
            retried == 0 && listedTwice == 0 && ranTwice == 0),
        Row.info(
            "b", "refused (non-202) / failed calls", refused.get() + " / " + failedCalls.get()),
        Row.info(
            "b",
            "submitters paused by the backlog bound",
            String.format("%.0f%% of the window", 100.0 * pausedShare)),
        Row.info("b", "drain after the window", String.format("%.1f s", drainSeconds)),
        Row.info("b", "executions found in worker logs", executions.size() + ""),
        Row.info("b", "SUCCEEDED without startedAt (report race)", withoutStartedAt + ""),
        Row.info("b", "workers used", operator.workers(tenant, true).size() + ""),
        Row.info("b", "POST /v1/jobs → 202 under load", post.summary()),
        Row.info("b", "createdAt → finishedAt under load", sojourn.summary()),
        Row.info(
            "b",
            "PostgreSQL per accepted job: commits / rows updated / rows fetched",
            String.format(
                "%.1f / %.1f / %.1f",
                counters.commits() / perJob,
                counters.rowsUpdated() / perJob,
                counters.rowsFetched() / perJob)),
        Row.info(
            "b",
            "CPU during the window",
            CpuTime.share(cpuBefore, cpuAfter, Duration.between(start, windowEnd))));
  }

  private String status(String id) {
    return app.job(id).status();
  }

  private SubmittedJob submit(JsonNode payload) {
    return app.submitJob(new SubmitJobRequest("echo", payload, null, null, null));
  }

  private static JsonNode payload(int n) {
    return JsonNodeFactory.instance.objectNode().put("n", n).put("text", "hello");
  }

  /** Open or closed to submitters; remembers how long it was closed. */
  private static final class Throttle {
    private final long started = System.nanoTime();
    private volatile boolean closed;
    private long closedSince;
    private long closedNanos;

    void update(boolean close) {
      long now = System.nanoTime();
      if (close && !closed) {
        closedSince = now;
      } else if (!close && closed) {
        closedNanos += now - closedSince;
      }
      closed = close;
    }

    double closedShare() {
      return closedNanos / (double) (System.nanoTime() - started);
    }
  }
}
