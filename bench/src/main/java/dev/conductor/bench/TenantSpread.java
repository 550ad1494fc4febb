package dev.conductor.bench;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.JobView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * (spread) Many tenants submitting at once share the throughput: each tenant is one closed-loop
 * client (submit an {@code echo} job, long-poll it to its end, submit the next) for the window or
 * its job count, whichever ends first. Per tenant, the jobs that SUCCEEDED within the window; their
 * spread as min / median / max, max/min and Jain's fairness index ((Σx)² / (n·Σx²), 1 when all are
 * equal, 1/n when one tenant takes everything).
 */
final class TenantSpread {
  private static final String PLAN = "bench";
  // Worker JVMs start in waves: all at once on 2 cores would outlast the start timeout.
  private static final int WAVE = 10;
  private static final Duration JOB_WAIT = Duration.ofSeconds(120);

  private final ConductorApi api;
  private final int tenants;
  private final int jobsPerTenant;
  private final Duration window;

  TenantSpread(ConductorApi api, int tenants, int jobsPerTenant, Duration window) {
    this.api = api;
    this.tenants = tenants;
    this.jobsPerTenant = jobsPerTenant;
    this.window = window;
  }

  List<Row> run() throws InterruptedException {
    Map<String, String> plans = new LinkedHashMap<>();
    for (int i = 1; i <= tenants; i++) {
      plans.put(String.format("bench-spread-%03d", i), PLAN);
    }
    Bench.progress("spread: onboarding %d tenants", tenants);
    List<ConductorClient> apps =
        api.onboardAll(plans, Duration.ofMinutes(5)).values().stream().map(api::tenant).toList();
    Bench.progress("spread: one worker per tenant, %d at a time", WAVE);
    for (int from = 0; from < apps.size(); from += WAVE) {
      List<ConductorClient> wave = apps.subList(from, Math.min(apps.size(), from + WAVE));
      List<String> first = wave.stream().map(app -> ConductorApi.submitEcho(app, -1)).toList();
      for (int i = 0; i < wave.size(); i++) {
        ConductorApi.awaitEnded(wave.get(i), first.get(i), JOB_WAIT);
      }
    }
    Bench.progress("spread: %d closed-loop tenants for %ds", tenants, window.toSeconds());
    String loadBefore = Environment.loadAverage();
    long[] done = new long[tenants];
    AtomicLong failed = new AtomicLong();
    Instant start = Instant.now();
    Instant end = start.plus(window);
    List<Thread> clients = new ArrayList<>();
    for (int t = 0; t < tenants; t++) {
      ConductorClient app = apps.get(t);
      int tenant = t;
      Thread client =
          new Thread(
              () -> {
                for (int n = 0; n < jobsPerTenant && Instant.now().isBefore(end); n++) {
                  try {
                    JobView job =
                        ConductorApi.awaitEnded(app, ConductorApi.submitEcho(app, n), JOB_WAIT);
                    Instant finished = job.finishedAt();
                    if (job.status().equals("SUCCEEDED")
                        && finished != null
                        && !finished.isAfter(end)) {
                      done[tenant]++;
                    }
                  } catch (RuntimeException e) {
                    failed.incrementAndGet();
                  }
                }
              },
              "spread-" + t);
      client.start();
      clients.add(client);
    }
    for (Thread client : clients) {
      client.join();
    }
    double seconds = window.toNanos() / 1e9;
    double[] rates = Arrays.stream(done).mapToDouble(n -> n / seconds).sorted().toArray();
    double total = Arrays.stream(rates).sum();
    double squares = Arrays.stream(rates).map(r -> r * r).sum();
    double jain = squares == 0 ? Double.NaN : total * total / (rates.length * squares);
    double min = rates[0];
    double max = rates[rates.length - 1];
    double median = rates[rates.length / 2];
    Bench.progress(
        "spread: %.1f jobs/s in all; per tenant min %.2f, median %.2f, max %.2f; Jain %.3f",
        total, min, median, max, jain);
    return List.of(
        Row.info(
            "spread",
            "tenants × window, most jobs per tenant",
            tenants + " × " + window.toSeconds() + " s, " + jobsPerTenant),
        Row.info(
            "spread",
            "total: SUCCEEDED within the window / window",
            String.format("%.1f jobs/s", total)),
        Row.info(
            "spread",
            "per tenant min / median / max",
            String.format("%.2f / %.2f / %.2f jobs/s", min, median, max)),
        Row.info(
            "spread",
            "spread max / min",
            min == 0 ? "∞ (a tenant ran nothing)" : String.format("%.2f", max / min)),
        Row.info("spread", "Jain's fairness index (1 = even)", String.format("%.3f", jain)),
        Row.info("spread", "failed calls", failed.get() + ""),
        Row.info(
            "spread",
            "load average: before / after",
            loadBefore + " / " + Environment.loadAverage()));
  }
}
