package dev.conductor.provisioning.local;

import dev.conductor.provisioning.ProvisioningCancelledException;

/** The safe points of the local adapter: between steps, never inside a SQL or bus call. */
final class Cancellation {
  private Cancellation() {}

  /** Throws if the calling thread was interrupted, i.e. the operation was cancelled. */
  static void checkpoint(String nextStep) {
    if (Thread.interrupted()) {
      throw new ProvisioningCancelledException("cancelled before " + nextStep);
    }
  }
}
