package dev.conductor.fleet;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * A GUID-tagged worker the conductor started for one tenant and affinity key ('' is the default
 * pool), in one location ('' is none: the runtime's default). {@code runtimeRef} is what its {@code
 * runtime} (a kind: process, docker, ...) needs to find it again (a pid for processes); both are
 * recorded once it started, with its {@code egressAddress} where the runtime can tell. {@code
 * generation} names its armed teardown, due at {@code teardownDueAt} (null: none armed, as while it
 * is busy). {@code ownerReplica} is the conductor replica that launched (or adopted) it and alone
 * judges its process.
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
    @Nullable Instant teardownDueAt,
    Instant startedAt,
    Instant lastActivityAt,
    @Nullable Instant lastHeartbeatAt,
    @Nullable Instant stoppedAt,
    @Nullable String stopReason,
    @Nullable String runtime,
    String location,
    @Nullable String egressAddress,
    @Nullable UUID ownerReplica) {

  /**
   * A new worker of replica {@code owner}, before its process runs: generation 0, no runtime
   * reference yet.
   */
  public static WorkerInstance starting(
      UUID tenantId, String affinityKey, String location, int capacity, Instant now, UUID owner) {
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
        null,
        owner);
  }

  /** What a teardown message does when it arrives. */
  public enum TeardownOutcome {
    /** Stale, duplicated or reordered, or the worker is no longer READY: nothing. */
    DROP,
    /** Busy: no teardown stays armed; the end of its last job arms the next. */
    DISARM,
    /** Idle, but not for the whole idle timeout yet: armed again for the rest of it. */
    REARM,
    /** Idle for the whole timeout: drain it. */
    DRAIN
  }

  /**
   * What teardown({@code generation}) arriving at {@code now} does. Only the armed generation of a
   * READY worker acts, and it drains only a worker with nothing in flight whose last activity is at
   * least {@code idle} ago: stale, duplicated, reordered or early teardowns never stop a busy one.
   */
  public TeardownOutcome onTeardown(long generation, boolean busy, Duration idle, Instant now) {
    if (state != WorkerState.READY || this.generation != generation || teardownDueAt == null) {
      return TeardownOutcome.DROP;
    }
    if (busy) {
      return TeardownOutcome.DISARM;
    }
    return lastActivityAt.plus(idle).isAfter(now) ? TeardownOutcome.REARM : TeardownOutcome.DRAIN;
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
        teardownDueAt,
        startedAt,
        lastActivityAt,
        lastHeartbeatAt,
        stoppedAt,
        stopReason,
        runtime,
        location,
        egressAddress,
        ownerReplica);
  }
}
