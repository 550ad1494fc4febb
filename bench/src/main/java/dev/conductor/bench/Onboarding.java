package dev.conductor.bench;

import dev.conductor.api.v1.TenantView;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * (onboard) Many tenants onboarded on the local provisioner (a database, role, queues and key
 * each), one after another or a bounded number at once, none started after the time limit. Per
 * tenant, createdAt → READY (updatedAt, the server's clock; nothing else changes a tenant just
 * made); then the JVM's resident memory (conductor and client share it) and heap in use after a
 * full GC, before and after.
 */
final class Onboarding {
  private static final String PLAN = "bench";
  private static final Duration READY_WAIT = Duration.ofMinutes(2);

  private final ConductorApi api;
  private final int tenants;
  private final int concurrency;
  private final Duration limit;

  Onboarding(ConductorApi api, int tenants, int concurrency, Duration limit) {
    this.api = api;
    this.tenants = tenants;
    this.concurrency = concurrency;
    this.limit = limit;
  }

  List<Row> run() throws InterruptedException {
    Memory before = Memory.now();
    Bench.progress(
        "onboard: %d tenants, %d at a time, none started after %ds; before: %s",
        tenants, concurrency, limit.toSeconds(), before);
    Samples perTenant = new Samples();
    Samples client = new Samples();
    AtomicInteger done = new AtomicInteger();
    long start = System.nanoTime();
    long deadline = start + limit.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    List<Future<?>> onboardings = new ArrayList<>();
    for (int i = 1; i <= tenants; i++) {
      String name = String.format("bench-on-%04d", i);
      onboardings.add(
          pool.submit(
              () -> {
                if (System.nanoTime() > deadline) {
                  return;
                }
                long asked = System.nanoTime();
                api.createTenant(name, PLAN);
                api.awaitTenantReady(name, READY_WAIT);
                long seen = System.nanoTime();
                TenantView ready = api.operator().tenant(name);
                synchronized (perTenant) {
                  perTenant.add(
                      ConductorDatabase.millisBetween(ready.createdAt(), ready.updatedAt()));
                  client.addNanos(seen - asked);
                }
                int n = done.incrementAndGet();
                if (n % 50 == 0) {
                  Bench.progress("onboard: %d READY", n);
                }
              }));
    }
    pool.shutdown();
    long failed = 0;
    for (Future<?> onboarding : onboardings) {
      try {
        onboarding.get();
      } catch (java.util.concurrent.ExecutionException e) {
        failed++;
        Bench.progress("onboard: %s", String.valueOf(e.getCause()));
      }
    }
    pool.awaitTermination(1, TimeUnit.MINUTES);
    double total = (System.nanoTime() - start) / 1e9;
    Memory after = Memory.now();
    Bench.progress("onboard: %d READY in %.0f s; after: %s", done.get(), total, after);
    return List.of(
        Row.info(
            "onboard",
            "tenants READY / asked for (at once)",
            done.get() + " / " + tenants + " (" + concurrency + ")"),
        Row.info(
            "onboard",
            "per tenant createdAt → READY, p50 / p90 / max",
            Samples.ms(perTenant.p50())
                + " / "
                + Samples.ms(perTenant.percentile(90))
                + " / "
                + Samples.ms(perTenant.max())
                + " ms"),
        Row.info(
            "onboard",
            "per tenant POST → READY seen by the client (100 ms polls), p50 / p90",
            Samples.ms(client.p50()) + " / " + Samples.ms(client.percentile(90)) + " ms"),
        Row.info(
            "onboard",
            "total",
            String.format("%.0f s (%.1f tenants/s)", total, done.get() / total)),
        Row.info("onboard", "failed", failed + ""),
        Row.info(
            "onboard",
            "JVM RSS (VmRSS): before / after",
            before.rssMb() + " / " + after.rssMb() + " MB"),
        Row.info(
            "onboard",
            "heap used after a full GC: before / after",
            before.heapMb() + " / " + after.heapMb() + " MB"),
        Row.info("onboard", "load average at the end", Environment.loadAverage()));
  }

  /** This JVM's resident set and its heap in use after a full GC, in MB. */
  private record Memory(long rssMb, long heapMb) {
    static Memory now() {
      System.gc();
      long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      return new Memory(rssKb() / 1024, heap / (1024 * 1024));
    }

    private static long rssKb() {
      try {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
          if (line.startsWith("VmRSS:")) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
          }
        }
      } catch (IOException | NumberFormatException e) {
        // not Linux
      }
      return -1;
    }

    @Override
    public String toString() {
      return "RSS " + rssMb + " MB, heap " + heapMb + " MB";
    }
  }
}
