package dev.conductor.cli.e2e;

import java.time.Duration;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** Bounded waiting: asks again every {@link #INTERVAL} until the answer is right or time is up. */
final class Poll {

  static final Duration INTERVAL = Duration.ofMillis(250);

  private Poll() {}

  /**
   * @param probe may throw an {@link AssertionError} to give up early (e.g. the process died)
   * @return the first answer {@code done} accepts
   * @throws AssertionError naming {@code what} and the last answer when {@code timeout} passes
   */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    long deadline = System.nanoTime() + timeout.toNanos();
    T last = null;
    while (true) {
      last = probe.get();
      if (last != null && done.test(last)) {
        return last;
      }
      if (System.nanoTime() - deadline >= 0) {
        throw new AssertionError(
            "timed out after " + timeout.toSeconds() + "s waiting for " + what + "; last: " + last);
      }
      sleep(INTERVAL);
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
