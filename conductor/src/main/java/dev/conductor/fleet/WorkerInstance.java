package dev.conductor.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Instant;
import java.util.UUID;

/**
 * A GUID-tagged worker the conductor started for one tenant and affinity key ('' is the default
 * pool), in one location ('' is none: the runtime's default). {@code runtimeRef} is what its {@code
 * runtime} (a kind: process, docker, ...) needs to find it again (a pid for processes); both are
 * recorded once it started, with its {@code egressAddress} where the runtime can tell.
 */
@MappedEntity("workers")
public record WorkerInstance(
    @Id UUID id,
    UUID tenantId,
    String affinityKey,
    WorkerState state,
    int capacity,
    long generation,
    @Nullable String runtimeRef,
    @Nullable String teardownToken,
    Instant startedAt,
    Instant lastActivityAt,
    @Nullable Instant lastHeartbeatAt,
    @Nullable Instant stoppedAt,
    @Nullable String stopReason,
    @Nullable String runtime,
    String location,
    @Nullable String egressAddress) {

  /** A new worker, before its process runs: generation 0, no runtime reference yet. */
  public static WorkerInstance starting(
      UUID tenantId, String affinityKey, String location, int capacity, Instant now) {
    return new WorkerInstance(
        UUID.randomUUID(),
        tenantId,
        affinityKey,
        WorkerState.STARTING,
        capacity,
        0,
        null,
        null,
        now,
        now,
        null,
        null,
        null,
        null,
        location,
        null);
  }

  /**
   * Whether teardown({@code generation}) stops this worker: only the current generation of a READY
   * worker with nothing in flight; stale, duplicated or reordered teardowns never stop a busy one.
   */
  public boolean idleFor(long generation, boolean busy) {
    return state == WorkerState.READY && this.generation == generation && !busy;
  }

  /** This worker as of {@code generation} (which the database computed). */
  public WorkerInstance withGeneration(long generation) {
    return new WorkerInstance(
        id,
        tenantId,
        affinityKey,
        state,
        capacity,
        generation,
        runtimeRef,
        teardownToken,
        startedAt,
        lastActivityAt,
        lastHeartbeatAt,
        stoppedAt,
        stopReason,
        runtime,
        location,
        egressAddress);
  }
}
