package dev.conductor.fleet;

import static org.assertj.core.api.Assertions.assertThat;

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

  @Test
  void onlyTheCurrentGenerationOfAnIdleReadyWorkerTearsItDown() {
    WorkerInstance ready = worker(WorkerState.READY, 7, T0, T0);

    assertThat(ready.idleFor(7, false)).isTrue();
    assertThat(ready.idleFor(6, false)).as("stale teardown").isFalse();
    assertThat(ready.idleFor(8, false)).as("teardown from the future").isFalse();
    assertThat(ready.idleFor(7, true)).as("work in flight").isFalse();
    assertThat(worker(WorkerState.STARTING, 7, T0, null).idleFor(7, false)).isFalse();
    assertThat(worker(WorkerState.DRAINING, 7, T0, T0).idleFor(7, false)).isFalse();
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
        null,
        startedAt,
        startedAt,
        lastHeartbeatAt,
        null,
        null,
        "process",
        "",
        null);
  }
}
