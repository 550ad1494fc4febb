package dev.conductor.bench;

import dev.conductor.api.client.ConductorClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * (fair) Whether one tenant's backlog delays another's jobs: tenant B submits one {@code echo} job
 * a second for a window, first alone, then while tenant A holds a backlog at full throughput
 * (topped up by batches). B's submit → started from the server's timestamps ({@code startedAt −
 * createdAt}), both times, and their ratio; A's dispatch rate during the window beside it. A is
 * offboarded at the end, so its backlog costs no later scenario.
 */
final class FairTenants {
  static final String A = "bench-fair-a";
  static final String B = "bench-fair-b";
  private static final double TARGET_RATIO = 2;
  private static final Duration FILL = Duration.ofMinutes(5);
  private static final Duration WARM = Duration.ofSeconds(10);
  private static final Duration LATE = Duration.ofSeconds(60);

  private final ConductorApi api;
  private final ConductorClient a;
  private final ConductorClient b;
  private final ConductorDatabase db;
  private final Duration window;
  private final int backlog;

  FairTenants(
      ConductorApi api,
      ConductorDatabase db,
      String keyA,
      String keyB,
      Duration window,
      int backlog) {
    this.api = api;
    this.a = api.tenant(keyA);
    this.b = api.tenant(keyB);
    this.db = db;
    this.window = window;
    this.backlog = backlog;
  }

  List<Row> run() throws InterruptedException {
    Bench.progress("fair: B's worker (first job)");
    ConductorApi.awaitEnded(b, ConductorApi.submitEcho(b, -1), LATE);
    Bench.progress("fair: B alone, one job a second for %ds", window.toSeconds());
    String loadAlone = Environment.loadAverage();
    Delays aloneSplit = delays(oneASecond());
    Samples alone = aloneSplit.started();

    Bench.progress("fair: A's backlog of %d", backlog);
    Delays besideSplit;
    double rateA;
    long queuedA;
    String loadBeside;
    try (HeldBacklog held = new HeldBacklog(a, db, A, backlog)) {
      Duration filled = held.fill(FILL);
      Bench.progress(
          "fair: filled in %.1f s; A's workers warm for %ds", secs(filled), WARM.toSeconds());
      held.hold(WARM.plus(window).plus(LATE));
      ConductorApi.sleep(WARM);
      Bench.progress("fair: B beside A, one job a second for %ds", window.toSeconds());
      Instant start = Instant.now();
      List<String> ids = oneASecond();
      Instant end = Instant.now();
      loadBeside = Environment.loadAverage();
      rateA = db.startedBetween(A, start, end) / secs(Duration.between(start, end));
      queuedA = held.queued();
      besideSplit = delays(ids);
    }
    Bench.progress("fair: offboarding A");
    boolean gone = api.offboard(A, Duration.ofMinutes(2));
    Samples beside = besideSplit.started();
    double ratio50 = beside.p50() / alone.p50();
    double ratio90 = beside.percentile(90) / alone.percentile(90);
    Bench.progress(
        "fair: B alone p50 %s ms, beside A p50 %s ms (%.2f×); A %.0f jobs/s",
        Samples.ms(alone.p50()), Samples.ms(beside.p50()), ratio50, rateA);
    return List.of(
        Row.info("fair", "B alone: submit → started, p50 / p90", p5090(alone)),
        Row.info("fair", "B beside A's backlog: submit → started, p50 / p90", p5090(beside)),
        new Row(
            "fair",
            "B beside A / B alone, p50",
            String.format("%.2f×", ratio50),
            "≤ 2×",
            ratio50 <= TARGET_RATIO),
        Row.info("fair", "B beside A / B alone, p90", String.format("%.2f×", ratio90)),
        aloneBeside("B: submit → started, max", alone.max(), beside.max()),
        aloneBeside(
            "B: createdAt → dispatchedAt p50",
            aloneSplit.routed().p50(),
            besideSplit.routed().p50()),
        aloneBeside(
            "B: dispatchedAt → startedAt p50",
            aloneSplit.delivered().p50(),
            besideSplit.delivered().p50()),
        Row.info(
            "fair",
            "A's jobs started per second during B's window",
            String.format("%.0f jobs/s", rateA)),
        Row.info(
            "fair", "A's backlog: held at / queued at the window's end", backlog + " / " + queuedA),
        Row.info("fair", "load average: B alone / beside A", loadAlone + " / " + loadBeside),
        Row.info("fair", "A offboarded afterwards", gone ? "yes" : "not within 2 min"));
  }

  /** B submits one job a second for the window; returns their ids. */
  private List<String> oneASecond() {
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    long n = window.toSeconds();
    for (int i = 0; i < n; i++) {
      long due = start + i * 1_000_000_000L;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        ConductorApi.sleep(Duration.ofNanos(wait));
      }
      ids.add(ConductorApi.submitEcho(b, i));
    }
    return ids;
  }

  /** B's jobs: submit → started, and split at dispatchedAt (routing, then send and start). */
  private record Delays(Samples started, Samples routed, Samples delivered) {}

  /** Waits (bounded) for B's jobs to end, then reads their timestamps. */
  private Delays delays(List<String> ids) {
    for (String id : ids) {
      ConductorApi.awaitEnded(b, id, LATE);
    }
    Delays delays = new Delays(new Samples(), new Samples(), new Samples());
    for (ConductorDatabase.JobTimes job : db.jobs(ids)) {
      delays.started().add(ConductorDatabase.millisBetween(job.createdAt(), job.startedAt()));
      delays.routed().add(ConductorDatabase.millisBetween(job.createdAt(), job.dispatchedAt()));
      delays.delivered().add(ConductorDatabase.millisBetween(job.dispatchedAt(), job.startedAt()));
    }
    return delays;
  }

  private static Row aloneBeside(String metric, double alone, double beside) {
    return Row.info(
        "fair",
        metric + ", alone / beside A",
        Samples.ms(alone) + " / " + Samples.ms(beside) + " ms");
  }

  private static String p5090(Samples samples) {
    return Samples.ms(samples.p50())
        + " / "
        + Samples.ms(samples.percentile(90))
        + " ms (n="
        + samples.size()
        + ")";
  }

  private static double secs(Duration duration) {
    return duration.toNanos() / 1e9;
  }
}
