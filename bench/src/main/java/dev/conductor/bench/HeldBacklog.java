package dev.conductor.bench;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.SubmitBatchRequest;
import jakarta.annotation.Nullable;
import java.time.Duration;

/**
 * Holds a tenant's QUEUED jobs at a size with {@code POST /v1/jobs/batch} of small {@code echo}
 * jobs: {@link #fill} once, then a thread tops it up as routing takes jobs, until {@link #close} or
 * its deadline, whichever comes first.
 */
final class HeldBacklog implements AutoCloseable {
  private static final Duration CHECK = Duration.ofMillis(100);

  private final ConductorClient app;
  private final ConductorDatabase db;
  private final String tenant;
  private final int size;
  private volatile boolean closed;
  private long submitted;
  private int round;
  private @Nullable Thread topUp;

  HeldBacklog(ConductorClient app, ConductorDatabase db, String tenant, int size) {
    this.app = app;
    this.db = db;
    this.tenant = tenant;
    this.size = size;
  }

  /** Submits until {@code size} jobs are queued; returns how long that took. */
  Duration fill(Duration timeout) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (!topUpOnce()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            tenant + ": backlog of " + size + " not reached within " + timeout);
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  /** Tops the backlog up in the background for at most {@code bound}. */
  void hold(Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    topUp =
        new Thread(
            () -> {
              while (!closed && System.nanoTime() < deadline) {
                if (topUpOnce()) {
                  ConductorApi.sleep(CHECK);
                }
              }
            },
            "backlog-" + tenant);
    topUp.setDaemon(true);
    topUp.start();
  }

  long queued() {
    return db.backlog(tenant).queued();
  }

  synchronized long submitted() {
    return submitted;
  }

  /** One batch if the backlog is short of its size; true when it was not. */
  private synchronized boolean topUpOnce() {
    long missing = size - queued();
    if (missing <= 0) {
      return true;
    }
    int n = (int) Math.min(SubmitBatchRequest.MAX_JOBS, missing);
    submitted +=
        app.submitJobs(new SubmitBatchRequest(BatchSubmit.echoJobs(round++, n))).accepted();
    return false;
  }

  @Override
  public void close() throws InterruptedException {
    closed = true;
    if (topUp != null) {
      topUp.join();
    }
  }
}
