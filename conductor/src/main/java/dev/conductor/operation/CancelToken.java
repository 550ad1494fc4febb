package dev.conductor.operation;

import dev.conductor.provisioning.ProvisioningCancelledException;
import java.util.function.Supplier;

/**
 * The cancellation of one running operation. A request interrupts the running thread only while it
 * is inside a provisioner call, where the port defines what an interrupt means; anywhere else (the
 * conductor's own database work) it waits for the next {@link #checkpoint}.
 */
public final class CancelToken {
  private final Thread runner;
  private boolean requested;
  private boolean abandoned;
  private boolean handedBack;
  private boolean inProvisioner;

  CancelToken(Thread runner) {
    this.runner = runner;
  }

  synchronized void request() {
    if (requested) {
      return;
    }
    requested = true;
    if (inProvisioner) {
      runner.interrupt();
    }
  }

  synchronized boolean requested() {
    return requested;
  }

  /**
   * Stops the run without cancelling the operation: its lease went to another conductor, which now
   * runs it; two runs on one tenant would fight over its resources.
   */
  synchronized void abandon() {
    if (abandoned || requested) {
      abandoned = true;
      return;
    }
    abandoned = true;
    if (inProvisioner) {
      runner.interrupt();
    }
  }

  synchronized boolean abandoned() {
    return abandoned;
  }

  /**
   * Stops the run so that its operation can be handed back: this conductor is stopping, and another
   * (or its restart) resumes the operation at once instead of after the lease runs out.
   */
  synchronized void handBack() {
    if (handedBack || abandoned || requested) {
      return;
    }
    handedBack = true;
    if (inProvisioner) {
      runner.interrupt();
    }
  }

  synchronized boolean handedBack() {
    return handedBack;
  }

  /** Throws if a cancel was requested or the run abandoned; call between the steps. */
  public synchronized void checkpoint() {
    if (requested) {
      throw new ProvisioningCancelledException("cancelled by operator");
    }
    if (abandoned) {
      throw new ProvisioningCancelledException("lease lost to another conductor");
    }
    if (handedBack) {
      throw new ProvisioningCancelledException("conductor stopping");
    }
  }

  /** Runs a provisioner call that a cancel request may interrupt. */
  public <T> T interruptibly(Supplier<T> provisionerCall) {
    synchronized (this) {
      checkpoint();
      inProvisioner = true;
    }
    try {
      return provisionerCall.get();
    } finally {
      synchronized (this) {
        inProvisioner = false;
        // An interrupt that arrived after the provisioner's last safe point must not leak into the
        // conductor's own work on this pooled thread.
        Thread.interrupted();
      }
    }
  }
}
