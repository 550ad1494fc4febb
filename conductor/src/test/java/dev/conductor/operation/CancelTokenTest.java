package dev.conductor.operation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.provisioning.ProvisioningCancelledException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A cancel reaches a provisioner call as an interrupt, and never the conductor's own work. */
class CancelTokenTest {

  @Test
  void aRequestBeforeTheCallCancelsItWithoutCallingTheProvisioner() {
    CancelToken cancel = new CancelToken(Thread.currentThread());
    AtomicBoolean called = new AtomicBoolean();
    cancel.request();

    assertThatThrownBy(() -> cancel.interruptibly(() -> called.getAndSet(true)))
        .isInstanceOf(ProvisioningCancelledException.class);
    assertThat(called).isFalse();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aRequestDuringTheCallInterruptsItAndTheInterruptDoesNotOutliveIt() throws Exception {
    CancelToken cancel = new CancelToken(Thread.currentThread());
    CountDownLatch inProvisioner = new CountDownLatch(1);
    Thread renewal = onceInside(inProvisioner, cancel::request);

    boolean interrupted =
        cancel.interruptibly(
            () -> {
              inProvisioner.countDown();
              try {
                Thread.sleep(10_000);
                return false;
              } catch (InterruptedException e) {
                // A provisioner would stop here at its safe point; this one reports what it saw.
                Thread.currentThread().interrupt();
                return true;
              }
            });

    renewal.join();
    assertThat(interrupted).isTrue();
    assertThat(cancel.requested()).isTrue();
    assertThat(Thread.currentThread().isInterrupted()).isFalse();
  }

  @Test
  void aRequestOutsideAProvisionerCallWaitsForTheNextCheckpoint() {
    CancelToken cancel = new CancelToken(Thread.currentThread());

    cancel.request();

    assertThat(Thread.currentThread().isInterrupted()).isFalse();
    assertThatThrownBy(cancel::checkpoint).isInstanceOf(ProvisioningCancelledException.class);
  }

  @Test
  void aLostLeaseStopsTheRunWithoutCountingAsAnOperatorCancel() throws Exception {
    CancelToken cancel = new CancelToken(Thread.currentThread());
    CountDownLatch inProvisioner = new CountDownLatch(1);
    Thread renewal = onceInside(inProvisioner, cancel::abandon);

    AtomicBoolean interrupted = new AtomicBoolean();
    cancel.interruptibly(
        () -> {
          inProvisioner.countDown();
          try {
            Thread.sleep(10_000);
          } catch (InterruptedException e) {
            interrupted.set(true);
          }
          return null;
        });
    renewal.join();

    assertThat(interrupted).isTrue();
    assertThat(cancel.abandoned()).isTrue();
    assertThat(cancel.requested()).isFalse();
    assertThatThrownBy(cancel::checkpoint)
        .isInstanceOf(ProvisioningCancelledException.class)
        .hasMessage("lease lost to another conductor");
  }

  /** The lease renewal's thread: acts once the provisioner call has begun. */
  private static Thread onceInside(CountDownLatch inProvisioner, Runnable action) {
    Thread renewal =
        new Thread(
            () -> {
              try {
                inProvisioner.await(10, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              action.run();
            });
    renewal.start();
    return renewal;
  }

  @Test
  void aHandBackInterruptsTheProvisionerCallAndStopsTheRunAtTheNextCheckpoint() throws Exception {
    CancelToken cancel = new CancelToken(Thread.currentThread());
    CountDownLatch inProvisioner = new CountDownLatch(1);
    Thread stopping = onceInside(inProvisioner, cancel::handBack);

    boolean interrupted =
        cancel.interruptibly(
            () -> {
              inProvisioner.countDown();
              try {
                Thread.sleep(10_000);
                return false;
              } catch (InterruptedException e) {
                return true;
              }
            });

    stopping.join();
    assertThat(interrupted).isTrue();
    assertThat(cancel.handedBack()).isTrue();
    assertThat(cancel.requested()).as("a hand-back is not an operator's cancel").isFalse();
    assertThatThrownBy(cancel::checkpoint)
        .isInstanceOf(ProvisioningCancelledException.class)
        .hasMessageContaining("conductor stopping");
  }
}
