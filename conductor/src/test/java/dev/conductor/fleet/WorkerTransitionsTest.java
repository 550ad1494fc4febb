package dev.conductor.fleet;

import static dev.conductor.fleet.WorkerInstance.TeardownOutcome.DRAIN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.fleet.WorkerInstance.TeardownOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The worker rules that need no database, at fixed instants: which teardown stops a worker, and
 * when silence makes it LOST.
 */
class WorkerTransitionsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
  private static final FleetSettings SETTINGS =
      new FleetSettings(
          Duration.ofSeconds(2),
          Duration.ofSeconds(10),
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofSeconds(2),
          Duration.ofSeconds(10));

  private static final Duration IDLE = Duration.ofSeconds(3);
  private static final Instant DUE = T0.plus(IDLE);

  @Test
  void onlyTheCurrentGenerationOfAnIdleReadyWorkerTearsItDown() {
    WorkerInstance ready = worker(WorkerState.READY, 7, T0, T0);

    assertThat(ready.onTeardown(7, false, IDLE, DUE)).isEqualTo(TeardownOutcome.DRAIN);
    assertThat(ready.onTeardown(6, false, IDLE, DUE)).as("stale teardown").isNotEqualTo(DRAIN);
    assertThat(ready.onTeardown(8, false, IDLE, DUE))
        .as("teardown from the future")
        .isNotEqualTo(DRAIN);
    assertThat(ready.onTeardown(7, true, IDLE, DUE)).as("work in flight").isNotEqualTo(DRAIN);
    assertThat(worker(WorkerState.STARTING, 7, T0, null).onTeardown(7, false, IDLE, DUE))
        .isNotEqualTo(DRAIN);
    assertThat(worker(WorkerState.DRAINING, 7, T0, T0).onTeardown(7, false, IDLE, DUE))
        .isNotEqualTo(DRAIN);
  }

  @Test
  void aTeardownFindingItsWorkerBusyDisarmsAndOneArrivingEarlyReArms() {
    WorkerInstance ready = worker(WorkerState.READY, 7, T0, T0);

    assertThat(ready.onTeardown(7, true, IDLE, DUE)).isEqualTo(TeardownOutcome.DISARM);
    assertThat(ready.onTeardown(7, false, IDLE, DUE.minusMillis(1)))
        .as("idle for less than the timeout")
        .isEqualTo(TeardownOutcome.REARM);
    assertThat(ready.onTeardown(6, true, IDLE, DUE)).as("stale").isEqualTo(TeardownOutcome.DROP);
    WorkerInstance disarmed = withTeardownDue(ready, null);
    assertThat(disarmed.onTeardown(7, false, IDLE, DUE))
        .as("a duplicate of a teardown that disarmed")
        .isEqualTo(TeardownOutcome.DROP);
  }

  @Test
  void aStartingWorkerIsLostOnlyAfterTheStartTimeout() {
    WorkerInstance starting = worker(WorkerState.STARTING, 0, T0, null);

    assertThat(WorkerWatchdog.silence(starting, T0, T0.plusSeconds(60), SETTINGS)).isNull();
    assertThat(WorkerWatchdog.silence(starting, T0, T0.plusSeconds(61), SETTINGS))
        .isEqualTo("did not report ready within PT1M");
  }

  @Test
  void aReadyWorkerIsLostWhenItsHeartbeatsStop() {
    WorkerInstance ready = worker(WorkerState.READY, 1, T0, T0.plusSeconds(30));

    assertThat(WorkerWatchdog.silence(ready, T0, T0.plusSeconds(40), SETTINGS)).isNull();
    assertThat(WorkerWatchdog.silence(ready, T0, T0.plusSeconds(41), SETTINGS))
        .isEqualTo("no heartbeat for PT10S");
  }

  @Test
  void silenceBeforeTheDatabaseCameBackDoesNotCount() {
    WorkerInstance ready = worker(WorkerState.READY, 1, T0, T0);
    Instant recovered = T0.plusSeconds(100);

    assertThat(WorkerWatchdog.silence(ready, recovered, recovered.plusSeconds(10), SETTINGS))
        .isNull();
    assertThat(WorkerWatchdog.silence(ready, recovered, recovered.plusSeconds(11), SETTINGS))
        .isNotNull();
  }

  private static WorkerInstance worker(
      WorkerState state, long generation, Instant startedAt, Instant lastHeartbeatAt) {
    return new WorkerInstance(
        UUID.randomUUID(),
        UUID.randomUUID(),
        "",
        state,
        2,
        generation,
        "4242",
        startedAt.plus(IDLE),
        startedAt,
        startedAt,
        lastHeartbeatAt,
        null,
        null,
        "process",
        "",
        null,
        null);
  }

  private static WorkerInstance withTeardownDue(WorkerInstance w, Instant due) {
    return new WorkerInstance(
        w.id(),
        w.tenantId(),
        w.affinityKey(),
        w.state(),
        w.capacity(),
        w.generation(),
        w.runtimeRef(),
        due,
        w.startedAt(),
        w.lastActivityAt(),
        w.lastHeartbeatAt(),
        w.stoppedAt(),
        w.stopReason(),
        w.runtime(),
        w.location(),
        w.egressAddress(),
        w.ownerReplica());
  }
}
