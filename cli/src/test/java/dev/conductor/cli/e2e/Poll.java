package dev.conductor.cli.e2e;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Bounded waiting with Awaitility: asks again every {@link #INTERVAL} until right or time is up.
 */
final class Poll {

  static final Duration INTERVAL = Duration.ofMillis(250);

  private Poll() {}

  /**
   * @param probe may throw an {@link AssertionError} to give up early (e.g. the process died)
   * @return the first answer {@code done} accepts
   * @throws AssertionError naming {@code what} and the last answer when {@code timeout} passes
   */
  static <T> T until(String what, Duration timeout, Supplier<T> probe, Predicate<T> done) {
    AtomicReference<T> last = new AtomicReference<>();
    try {
      return Awaitility.await(what)
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(INTERVAL)
          .until(
              () -> {
                last.set(probe.get());
                return last.get();
              },
              answer -> answer != null && done.test(answer));
    } catch (ConditionTimeoutException e) {
      throw new AssertionError(
          "timed out after "
              + timeout.toSeconds()
              + "s waiting for "
              + what
              + "; last: "
              + last.get(),
          e);
    }
  }

  /** Whether the condition comes true within the timeout; for soft assertions that say why. */
  static boolean eventually(Duration timeout, BooleanSupplier condition) {
    try {
      Awaitility.await()
          .atMost(timeout)
          .pollDelay(Duration.ZERO)
          .pollInterval(INTERVAL)
          .until(condition::getAsBoolean);
      return true;
    } catch (ConditionTimeoutException e) {
      return false;
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
