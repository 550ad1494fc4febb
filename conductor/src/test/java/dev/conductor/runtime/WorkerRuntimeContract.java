package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the conductor relies on from a {@link WorkerRuntime}, whatever runs the workers: the
 * dispatcher starts and stops them, the reconciler compares {@link WorkerRuntime#list()} with the
 * worker table, and a restarted conductor must find the workers it started before. Each runtime's
 * test extends this with stand-in workers that need no bus.
 */
public abstract class WorkerRuntimeContract {
  // Generous: a container runtime may take a while to start or reap a worker.
  private static final Duration PATIENCE = Duration.ofSeconds(60);
  // Long enough that a stand-in outlives any test that does not stop it.
  private static final Duration RUNS_UNTIL_STOPPED = Duration.ofMinutes(10);

  private record Started(WorkerRuntime runtime, String ref) {}

  private final List<Started> started = new ArrayList<>();

  /** The runtime of this test's conductor; the same instance on every call within a test. */
  protected abstract WorkerRuntime runtime();

  /** This conductor's runtime as a restarted conductor builds it, its workers left running. */
  protected abstract WorkerRuntime restarted();

  /** The runtime of another conductor beside this one (another home or namespace). */
  protected abstract WorkerRuntime otherConductor();

  /**
   * A stand-in worker for {@code runtime} that runs for {@code lifetime} and then exits by itself;
   * one that {@code ignoresStop} outlives the polite stop (SIGTERM or the runtime's equivalent).
   */
  protected abstract WorkerLaunch launch(
      WorkerRuntime runtime, UUID workerId, Duration lifetime, boolean ignoresStop);

  /** Waits until the stand-in worker runs its own code, past any start-up of its runtime. */
  protected abstract void awaitUp(WorkerRuntime runtime, UUID workerId);

  /** Whether {@link WorkerRuntime#onExit} tells when a worker ends; the port allows it not to. */
  protected boolean reportsExits() {
    return true;
  }

  @AfterEach
  void stopWhatTheTestStarted() {
    started.forEach(worker -> worker.runtime().stop(worker.ref(), Duration.ZERO));
  }

  @Test
  void aStartedWorkerIsListedAndRunningUnderItsId() {
    UUID id = UUID.randomUUID();

    String ref = start(runtime(), launch(runtime(), id, RUNS_UNTIL_STOPPED, false));

    assertThat(runtime().isRunning(ref)).isTrue();
    waiting().untilAsserted(() -> assertThat(runtime().list()).containsEntry(id, ref));
    assertThat(runtime().onExit(ref)).isNotDone();
  }

  @Test
  void stopEndsTheWorker() {
    UUID id = UUID.randomUUID();
    String ref = start(runtime(), launch(runtime(), id, RUNS_UNTIL_STOPPED, false));

    runtime().stop(ref, Duration.ofSeconds(30));

    awaitEnded(runtime(), id, ref);
  }

  @Test
  void aWorkerThatIgnoresTheStopIsKilledAfterTheGrace() {
    UUID id = UUID.randomUUID();
    String ref = start(runtime(), launch(runtime(), id, RUNS_UNTIL_STOPPED, true));
    awaitUp(runtime(), id);

    runtime().stop(ref, Duration.ofSeconds(1));

    awaitEnded(runtime(), id, ref);
  }

  @Test
  void aWorkerThatExitsByItselfIsSeenToHaveEnded() {
    UUID id = UUID.randomUUID();

    String ref = start(runtime(), launch(runtime(), id, Duration.ofSeconds(1), false));

    awaitEnded(runtime(), id, ref);
  }

  @Test
  void stoppingAWorkerThatHasEndedIsHarmless() {
    UUID id = UUID.randomUUID();
    String ref = start(runtime(), launch(runtime(), id, RUNS_UNTIL_STOPPED, false));
    runtime().stop(ref, Duration.ofSeconds(30));
    awaitEnded(runtime(), id, ref);

    assertThatCode(() -> runtime().stop(ref, Duration.ofSeconds(30))).doesNotThrowAnyException();

    assertThat(runtime().isRunning(ref)).isFalse();
    assertThat(runtime().list()).doesNotContainKey(id);
  }

  /**
   * A reference no runtime ever gave (a row from another conductor, a typo in an operator's call).
   */
  @Test
  void stoppingAWorkerItNeverStartedIsHarmless() {
    String unknown = "unknown-" + UUID.randomUUID();

    assertThatCode(() -> runtime().stop(unknown, Duration.ofSeconds(1))).doesNotThrowAnyException();

    assertThat(runtime().isRunning(unknown)).isFalse();
  }

  @Test
  void aRestartedConductorFindsTheWorkersStartedBeforeAndCanStopThem() {
    UUID id = UUID.randomUUID();
    String ref = start(runtime(), launch(runtime(), id, RUNS_UNTIL_STOPPED, false));
    waiting().untilAsserted(() -> assertThat(runtime().list()).containsKey(id));

    WorkerRuntime restarted = restarted();

    String found =
        waiting().until(() -> restarted.list().get(id), refAfterRestart -> refAfterRestart != null);
    started.add(new Started(restarted, found));
    assertThat(restarted.isRunning(found)).isTrue();
    restarted.stop(found, Duration.ofSeconds(30));
    awaitEnded(restarted, id, found);
    // The first conductor learns of the exit when its own child is reaped, a moment later.
    waiting().untilAsserted(() -> assertThat(runtime().isRunning(ref)).isFalse());
  }

  @Test
  void anotherConductorsWorkersAreNotListed() {
    UUID ours = UUID.randomUUID();
    UUID theirs = UUID.randomUUID();
    start(runtime(), launch(runtime(), ours, RUNS_UNTIL_STOPPED, false));
    WorkerRuntime other = otherConductor();
    start(other, launch(other, theirs, RUNS_UNTIL_STOPPED, false));

    waiting().untilAsserted(() -> assertThat(runtime().list()).containsKey(ours));
    waiting().untilAsserted(() -> assertThat(other.list()).containsKey(theirs));
    assertThat(runtime().list()).doesNotContainKey(theirs);
    assertThat(other.list()).doesNotContainKey(ours);
  }

  private String start(WorkerRuntime runtime, WorkerLaunch launch) {
    String ref = runtime.start(launch);
    started.add(new Started(runtime, ref));
    return ref;
  }

  /** Ended as the conductor sees it: not running, not listed, and (where told) onExit completed. */
  private void awaitEnded(WorkerRuntime runtime, UUID id, String ref) {
    waiting()
        .untilAsserted(
            () -> {
              assertThat(runtime.isRunning(ref)).as("running").isFalse();
              Map<UUID, String> listed = runtime.list();
              assertThat(listed).as("listed").doesNotContainKey(id);
            });
    if (reportsExits()) {
      waiting().until(() -> runtime.onExit(ref).isDone());
    }
  }

  private static ConditionFactory waiting() {
    return Awaitility.await()
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50));
  }
}
