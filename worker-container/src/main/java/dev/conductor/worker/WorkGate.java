package dev.conductor.worker;

import java.time.Duration;

/**
 * Counts jobs in flight and closes for new ones when the worker drains, atomically with the count,
 * so a job is either counted before the drain starts waiting or never started.
 */
final class WorkGate {
  private int inFlight;
  private boolean closed;

  synchronized boolean tryEnter() {
    if (closed) {
      return false;
    }
    inFlight++;
    return true;
  }

  synchronized void exit() {
    inFlight--;
    if (inFlight == 0) {
      notifyAll();
    }
  }

  synchronized void close() {
    closed = true;
  }

  synchronized int inFlight() {
    return inFlight;
  }

  /** Waits until no job is in flight; false if {@code timeout} passed first. */
  synchronized boolean awaitIdle(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (inFlight > 0) {
      long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
      if (remainingMillis <= 0) {
        return false;
      }
      wait(remainingMillis);
    }
    return true;
  }
}
