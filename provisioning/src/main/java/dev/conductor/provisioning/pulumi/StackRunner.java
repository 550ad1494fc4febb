package dev.conductor.provisioning.pulumi;

import dev.conductor.messaging.time.Backoff;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ProvisioningCancelledException;
import dev.conductor.provisioning.ProvisioningException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs stack operations for the driver: at most {@code maxConcurrent} at a time (each is a Pulumi
 * CLI process and its providers), a locked stack retried with backoff and a clear event each time,
 * and cancellation by interrupt: the operation's update is stopped through the engine and the
 * caller gets a {@link ProvisioningCancelledException} once it has ended.
 */
final class StackRunner implements AutoCloseable {
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final Duration CANCEL_GRACE = Duration.ofSeconds(60);

  private final int maxConcurrent;
  private final Semaphore slots;
  private final int lockAttempts;
  private final Backoff lockBackoff;
  private final ExecutorService threads;

  StackRunner(int maxConcurrent, int lockAttempts, Duration lockBackoff) {
    if (maxConcurrent < 1 || lockAttempts < 1) {
      throw new IllegalArgumentException("maxConcurrent and lockAttempts must be at least 1");
    }
    this.maxConcurrent = maxConcurrent;
    this.slots = new Semaphore(maxConcurrent, true);
    this.lockAttempts = lockAttempts;
    this.lockBackoff =
        new Backoff(
            lockBackoff.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : lockBackoff, MAX_BACKOFF);
    this.threads =
        Executors.newCachedThreadPool(
            runnable -> {
              Thread thread = new Thread(runnable, "pulumi-stack");
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Runs {@code operation} on {@code stack} once a slot is free; {@code cancel} stops it if the
   * calling thread is interrupted meanwhile.
   */
  <T> T run(
      String stack,
      String what,
      ProgressListener progress,
      Supplier<T> operation,
      Runnable cancel) {
    acquireSlot(stack, what, progress);
    try {
      for (int attempt = 1; ; attempt++) {
        try {
          return runInterruptibly(stack, what, operation, cancel);
        } catch (StackLockedException e) {
          if (attempt >= lockAttempts) {
            throw new ProvisioningException(
                "stack "
                    + stack
                    + " is still locked by another update after "
                    + attempt
                    + " attempts; the operation will be retried later",
                true,
                e);
          }
          Duration wait = lockBackoff.after(attempt);
          progress.warn(
              "stack "
                  + stack
                  + " is locked by another update; retrying "
                  + what
                  + " in "
                  + wait.toMillis() / 1000.0
                  + " s (attempt "
                  + (attempt + 1)
                  + " of "
                  + lockAttempts
                  + ")");
          sleep(wait, stack, what);
        }
      }
    } finally {
      slots.release();
    }
  }

  private void acquireSlot(String stack, String what, ProgressListener progress) {
    if (slots.tryAcquire()) {
      return;
    }
    progress.info(
        "waiting for a free Pulumi slot: " + maxConcurrent + " stack operations already running");
    try {
      slots.acquire();
    } catch (InterruptedException e) {
      throw cancelled(stack, what);
    }
  }

  private <T> T runInterruptibly(
      String stack, String what, Supplier<T> operation, Runnable cancel) {
    if (Thread.interrupted()) {
      throw cancelled(stack, what);
    }
    Future<T> running = threads.submit(operation::get);
    try {
      return running.get();
    } catch (InterruptedException e) {
      cancel.run();
      awaitEnd(running);
      throw cancelled(stack, what);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new ProvisioningException("pulumi " + what + " failed: " + e.getCause(), false, null);
    }
  }

  /** The update must have stopped before the operation ends, or the next one finds it locked. */
  private static void awaitEnd(Future<?> running) {
    try {
      running.get(CANCEL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException expected) {
      // Cancelled updates fail; one still running after the grace is abandoned to the next
      // attempt, which finds the stack locked and waits for it.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void sleep(Duration wait, String stack, String what) {
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      throw cancelled(stack, what);
    }
  }

  private static ProvisioningCancelledException cancelled(String stack, String what) {
    return new ProvisioningCancelledException("cancelled: pulumi " + what + " of stack " + stack);
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
