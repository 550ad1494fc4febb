package dev.conductor.bench;

import dev.conductor.api.client.ConductorClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * (backlog) Whether routing costs more as the backlog grows: one tenant's dispatch rate (jobs
 * started per second, from startedAt) over a window with a small backlog, then, on the same workers
 * (READY all along: the plan's idle timeout is 5 min), with a large one. Each backlog is held at
 * its size by batches while the window runs. The tenant is offboarded at the end.
 */
final class BacklogDispatch {
  static final String TENANT = "bench-backlog";
  private static final Duration WARM = Duration.ofSeconds(10);
  // The first window also waits for the fleet to start and the JIT to warm up.
  private static final Duration FIRST_WARM = Duration.ofSeconds(30);
  private static final Duration FILL = Duration.ofMinutes(10);
  // The same rate within the noise of a shared machine.
  private static final double TARGET_RATIO = 0.8;

  private final ConductorApi api;
  private final ConductorClient app;
  private final ConductorDatabase db;
  private final int small;
  private final int large;
  private final Duration window;

  BacklogDispatch(
      ConductorApi api,
      ConductorDatabase db,
      String apiKey,
      int small,
      int large,
      Duration window) {
    this.api = api;
    this.app = api.tenant(apiKey);
    this.db = db;
    this.small = small;
    this.large = large;
    this.window = window;
  }

  /** One window's figures. */
  private record Rate(
      int backlog,
      Duration fill,
      double perSecond,
      double passMillis,
      long queuedAfter,
      String load) {}

  List<Row> run() throws InterruptedException {
    List<Rate> rates = new ArrayList<>();
    for (int size : List.of(small, large)) {
      rates.add(measure(size, rates.isEmpty() ? FIRST_WARM : WARM));
    }
    Bench.progress("backlog: offboarding %s", TENANT);
    boolean gone = api.offboard(TENANT, Duration.ofMinutes(2));
    double ratio = rates.get(1).perSecond() / rates.get(0).perSecond();
    List<Row> rows = new ArrayList<>();
    for (Rate rate : rates) {
      rows.add(
          Row.info(
              "backlog",
              String.format("%,d queued: jobs started per second", rate.backlog()),
              String.format("%.0f jobs/s", rate.perSecond())));
      rows.add(
          Row.info(
              "backlog",
              String.format("%,d queued: routing pass, mean", rate.backlog()),
              Samples.ms(rate.passMillis()) + " ms"));
      rows.add(
          Row.info(
              "backlog",
              String.format(
                  "%,d queued: filled in / queued at the window's end / load", rate.backlog()),
              String.format(
                  "%.1f s / %,d / %s",
                  rate.fill().toNanos() / 1e9, rate.queuedAfter(), rate.load())));
    }
    rows.add(
        new Row(
            "backlog",
            String.format("rate with %,d / with %,d queued", large, small),
            String.format("%.2f", ratio),
            "≥ " + TARGET_RATIO,
            ratio >= TARGET_RATIO));
    rows.add(
        Row.info("backlog", "tenant offboarded afterwards", gone ? "yes" : "not within 2 min"));
    return rows;
  }

  private Rate measure(int size, Duration warm) throws InterruptedException {
    Bench.progress("backlog: filling to %,d queued", size);
    try (HeldBacklog held = new HeldBacklog(app, db, TENANT, size)) {
      Duration fill = held.fill(FILL);
      held.hold(warm.plus(window).plus(Duration.ofSeconds(10)));
      Bench.progress(
          "backlog: filled in %.1f s; %ds warm, %ds measured",
          fill.toNanos() / 1e9, warm.toSeconds(), window.toSeconds());
      ConductorApi.sleep(warm);
      ConductorApi.RoutingPasses passes = api.routingPasses();
      Instant start = Instant.now();
      ConductorApi.sleep(window);
      Instant end = Instant.now();
      double passMillis = api.routingPasses().meanMillisSince(passes);
      double rate =
          db.startedBetween(TENANT, start, end) / (Duration.between(start, end).toNanos() / 1e9);
      long queued = held.queued();
      Bench.progress("backlog: %,d queued: %.0f jobs/s", size, rate);
      return new Rate(size, fill, rate, passMillis, queued, Environment.loadAverage());
    }
  }
}
