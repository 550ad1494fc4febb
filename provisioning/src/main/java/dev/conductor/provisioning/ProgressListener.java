package dev.conductor.provisioning;

import java.time.Duration;
import java.util.function.Supplier;

/** Receives each step of a provisioning run; the conductor stores them as operation events. */
public interface ProgressListener {
  void info(String message);

  void warn(String message);

  /**
   * A step ended after {@code took}: {@code step} names a kind of resource (never a tenant's own
   * name, so that it can label a metric), {@code action} what was done to it (create, update,
   * delete, ...), and {@code failed} whether it failed.
   */
  default void stepEnded(String step, String action, boolean failed, Duration took) {}

  /** Runs {@code work} as one step and reports its end through {@link #stepEnded}. */
  default <T> T step(String step, String action, Supplier<T> work) {
    long began = System.nanoTime();
    boolean failed = true;
    try {
      T result = work.get();
      failed = false;
      return result;
    } finally {
      stepEnded(step, action, failed, Duration.ofNanos(System.nanoTime() - began));
    }
  }

  /** {@link #step(String, String, Supplier)} for work with no result. */
  default void step(String step, String action, Runnable work) {
    step(
        step,
        action,
        () -> {
          work.run();
          return null;
        });
  }

  ProgressListener NONE =
      new ProgressListener() {
        @Override
        public void info(String message) {}

        @Override
        public void warn(String message) {}
      };
}
