package dev.conductor;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A background pass that Micronaut runs on a schedule ({@code @Scheduled} on the subclass) and the
 * conductor can stop in order: no pass starts after {@link #stop}, which waits (bounded) for the
 * one under way, so that what it decided is also done. A failed pass is logged with its stack trace
 * and the next one runs as planned.
 */
public abstract class PeriodicPass {
  private static final Duration STOP_WAIT = Duration.ofSeconds(10);

  private final Logger log = LoggerFactory.getLogger(getClass());
  private final Semaphore running = new Semaphore(1);
  private volatile boolean stopped;

  /** One pass; exceptions are logged by {@link #runOnce}. */
  protected abstract void pass();

  /** Called on a failed pass, before it is logged (e.g. to note a database outage). */
  protected void failed(RuntimeException e) {}

  /** Runs one pass unless stopped, or one is under way. */
  public final void runOnce() {
    if (stopped || !running.tryAcquire()) {
      return;
    }
    try {
      if (!stopped) {
        pass();
      }
    } catch (RuntimeException e) {
      failed(e);
      log.warn("pass failed", e);
    } finally {
      running.release();
    }
  }

  /** No more passes; waits for the one under way (the conductor is stopping). */
  public void stop() {
    stopped = true;
    try {
      if (running.tryAcquire(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        running.release();
      } else {
        log.warn("pass still running after {} s; stopping without it", STOP_WAIT.toSeconds());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
