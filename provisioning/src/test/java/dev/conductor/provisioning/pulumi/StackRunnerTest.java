package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.ProvisioningCancelledException;
import dev.conductor.provisioning.ProvisioningException;
import dev.conductor.provisioning.RecordingProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Real threads; the stack operations are plain code standing in for the Pulumi CLI. */
class StackRunnerTest {
  private final RecordingProgress progress = new RecordingProgress();
  private final ExecutorService callers = Executors.newCachedThreadPool();
  private StackRunner runner;

  @AfterEach
  void stop() {
    callers.shutdownNow();
    if (runner != null) {
      runner.close();
    }
  }

  @Test
  void noMoreThanTheBoundRunAtOnceAndTheRestWaitWithAnEvent() throws Exception {
    runner = new StackRunner(2, 1, Duration.ofMillis(10));
    AtomicInteger running = new AtomicInteger();
    AtomicInteger peak = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      String stack = "tenant-" + i;
      results.add(
          callers.submit(
              () ->
                  runner.run(
                      stack,
                      "up",
                      progress,
                      () -> {
                        peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                        await(release);
                        running.decrementAndGet();
                        return stack;
                      },
                      () -> {})));
    }
    // Two hold the slots (and may still be starting); the other four said they wait.
    waitUntil(() -> progress.events().size() == 4 && running.get() == 2);
    release.countDown();

    for (int i = 0; i < 6; i++) {
      assertThat(results.get(i).get(10, TimeUnit.SECONDS)).isEqualTo("tenant-" + i);
    }
    assertThat(peak.get()).isEqualTo(2);
    assertThat(progress.events())
        .allMatch(
            e ->
                e.equals(
                    "INFO waiting for a free Pulumi slot: 2 stack operations already running"));
  }

  @Test
  void aLockedStackIsRetriedWithBackoffAndAnEventPerRetry() {
    runner = new StackRunner(1, 5, Duration.ofMillis(20));
    AtomicInteger calls = new AtomicInteger();

    String result =
        runner.run(
            "tenant-acme",
            "up",
            progress,
            () -> {
              if (calls.incrementAndGet() < 3) {
                throw new StackLockedException("tenant-acme", null);
              }
              return "done";
            },
            () -> {});

    assertThat(result).isEqualTo("done");
    assertThat(calls.get()).isEqualTo(3);
    assertThat(progress.events())
        .containsExactly(
            "WARN stack tenant-acme is locked by another update; retrying up in 0.02 s (attempt 2 of 5)",
            "WARN stack tenant-acme is locked by another update; retrying up in 0.04 s (attempt 3 of 5)");
  }

  @Test
  void aStackLockedTooLongFailsRetryablySoTheOperationIsRetriedLater() {
    runner = new StackRunner(1, 3, Duration.ofMillis(5));
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                runner.run(
                    "tenant-acme",
                    "up",
                    progress,
                    () -> {
                      calls.incrementAndGet();
                      throw new StackLockedException("tenant-acme", null);
                    },
                    () -> {}))
        .isInstanceOf(ProvisioningException.class)
        .isNotInstanceOf(StackLockedException.class)
        .hasMessage(
            "stack tenant-acme is still locked by another update after 3 attempts; the operation"
                + " will be retried later")
        .satisfies(e -> assertThat(((ProvisioningException) e).isRetryable()).isTrue());
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void otherFailuresAreNotRetried() {
    runner = new StackRunner(1, 5, Duration.ofMillis(5));
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(
            () ->
                runner.run(
                    "tenant-acme",
                    "up",
                    progress,
                    () -> {
                      calls.incrementAndGet();
                      throw new ProvisioningException("quota exceeded", false, null);
                    },
                    () -> {}))
        .hasMessage("quota exceeded");
    assertThat(calls.get()).isEqualTo(1);
  }

  @Test
  void interruptingTheCallerCancelsTheRunningUpdateAndWaitsForItToEnd() throws Exception {
    runner = new StackRunner(1, 1, Duration.ofMillis(5));
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stop = new CountDownLatch(1);
    AtomicBoolean ended = new AtomicBoolean();
    Future<String> caller =
        callers.submit(
            () ->
                runner.run(
                    "tenant-acme",
                    "up",
                    progress,
                    () -> {
                      started.countDown();
                      await(stop);
                      ended.set(true);
                      throw new ProvisioningException("update canceled", false, null);
                    },
                    stop::countDown));
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();

    caller.cancel(true);

    waitUntil(ended::get);
    // The slot is free again: the next operation runs at once.
    assertThat(runner.run("tenant-other", "up", progress, () -> "ran", () -> {})).isEqualTo("ran");
  }

  @Test
  void anInterruptedCallerIsToldTheOperationWasCancelled() throws Exception {
    runner = new StackRunner(1, 1, Duration.ofMillis(5));
    CountDownLatch cancelled = new CountDownLatch(1);
    CountDownLatch started = new CountDownLatch(1);
    AtomicReference<Thread> caller = new AtomicReference<>();
    Future<Throwable> outcome =
        callers.submit(
            () -> {
              caller.set(Thread.currentThread());
              try {
                runner.run(
                    "tenant-acme",
                    "destroy",
                    progress,
                    () -> {
                      started.countDown();
                      // An update that ends on its own once told to stop, without failing.
                      await(cancelled);
                      return "finished";
                    },
                    cancelled::countDown);
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
    caller.get().interrupt();

    assertThat(outcome.get(10, TimeUnit.SECONDS))
        .isInstanceOf(ProvisioningCancelledException.class)
        .hasMessage("cancelled: pulumi destroy of stack tenant-acme");
    assertThat(cancelled.getCount()).isZero();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(condition::getAsBoolean);
  }
}
