package dev.conductor.fleet;

import dev.conductor.PeriodicPass;
import dev.conductor.replica.ReplicaLease;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimes;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compares what each runtime really runs with the worker table: a live row whose process is gone
 * from its runtime ends (STOPPED if it was draining, LOST otherwise, its jobs re-queued); a process
 * without a live row is stopped. Each worker is judged on its own: one that cannot be judged (its
 * runtime cannot be listed) stops no other. It is also the safety net of idle teardown: a READY
 * worker whose teardown message is long overdue (never sent) or that has none armed is settled.
 *
 * <p>Replicas: only the workers this replica owns are judged, and only while its lease holds; the
 * other replicas' workers are judged by their owner's lease. Once that runs out they are adopted
 * (each by one replica): one this replica's runtime finds running is kept (a container on the
 * shared engine or cluster, a process of this home); any other ends and is fenced, like another
 * host's child process, which no other replica can judge.
 */
@Singleton
public class Reconciler extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
  private static final Duration KILL_GRACE = Duration.ofSeconds(5);

  private final WorkerRuntimes runtimes;
  private final ReplicaLease replica;
  private final WorkerRepository workers;
  private final WorkerLifecycle lifecycle;
  private final FleetSettings settings;
  private final DatabaseOutages outages;
  private final Clock clock;

  Reconciler(
      WorkerRuntimes runtimes,
      ReplicaLease replica,
      WorkerRepository workers,
      WorkerLifecycle lifecycle,
      FleetSettings settings,
      DatabaseOutages outages,
      Clock clock) {
    this.runtimes = runtimes;
    this.replica = replica;
    this.workers = workers;
    this.lifecycle = lifecycle;
    this.settings = settings;
    this.outages = outages;
    this.clock = clock;
  }

  @Scheduled(
      fixedDelay = "${conductor.workers.reconcile-interval}",
      initialDelay = "${conductor.workers.reconcile-interval}")
  void tick() {
    runOnce();
  }

  @Override
  protected void pass() {
    if (!replica.held()) {
      // Its workers may be another replica's by now: judge nothing until the lease is renewed.
      return;
    }
    UUID self = replica.id();
    adoptOrphaned(self);
    // Rows first: a worker started after this read is unknown here, never "missing".
    List<WorkerInstance> live = outages.timed(workers::findAllLive);
    // Each runtime's list, empty where it could not tell: its workers are not judged this pass.
    Map<String, Optional<Map<UUID, String>>> running = new HashMap<>();
    runtimes.active().forEach((kind, runtime) -> running.put(kind, listed(kind, runtime)));
    Set<UUID> liveIds = new HashSet<>();
    for (WorkerInstance worker : live) {
      liveIds.add(worker.id());
      String ref = worker.runtimeRef();
      // A worker with a runtime reference was started; one without is still starting.
      if (ref != null && self.equals(worker.ownerReplica())) {
        judged(
            worker.id(),
            () -> {
              String kind = runtimes.kindOr(worker.runtime());
              WorkerRuntime runtime = runtimes.of(kind);
              Optional<Map<UUID, String>> ofKind =
                  running.computeIfAbsent(kind, k -> listed(k, runtime));
              if (ofKind.isPresent()
                  && !ofKind.get().containsKey(worker.id())
                  && !runtime.isRunning(ref)) {
                lifecycle.exited(worker.id());
              }
            });
      }
    }
    Instant now = clock.instant();
    for (WorkerInstance worker : live) {
      if (worker.state() == WorkerState.READY && self.equals(worker.ownerReplica())) {
        judged(worker.id(), () -> lifecycle.settleIdle(worker, now));
      }
    }
    running.forEach(
        (kind, ofKind) -> ofKind.ifPresent(listed -> stopOrphans(kind, listed, liveIds, now)));
  }

  /**
   * Takes over the workers of replicas whose lease ran out (each row to one adopter) and settles
   * what it cannot keep: a worker that never started, one on a runtime the replicas do not share
   * (the dead replica's child processes), one whose container is gone.
   */
  private void adoptOrphaned(UUID self) {
    for (WorkerInstance orphan : outages.timed(() -> workers.findOrphaned(self))) {
      judged(
          orphan.id(),
          () -> {
            if (workers.adopt(orphan.id(), orphan.ownerReplica(), self) != 1) {
              return;
            }
            String ref = orphan.runtimeRef();
            String kind = runtimes.kindOr(orphan.runtime());
            LOG.warn(
                "adopted worker={} of replica={} runtime={} state={}",
                orphan.id(),
                orphan.ownerReplica(),
                kind,
                orphan.state());
            String reason = "its replica " + orphan.ownerReplica() + " ended";
            WorkerRuntime runtime = runtimes.of(kind);
            if (ref != null && runtime.isRunning(ref)) {
              // Kept: from now on its exit is this replica's to notice.
              runtime
                  .onExit(ref)
                  .thenAccept(
                      how ->
                          lifecycle.exited(
                              orphan.id(), how instanceof WorkerExit exit ? exit : null));
            } else {
              // Never started, gone, or out of this replica's reach (another host's process).
              lifecycle.abandoned(orphan.id(), reason + "; its worker is not running here");
            }
          });
    }
  }

  /** Stops what the runtime runs for this conductor without a live row. */
  private void stopOrphans(String kind, Map<UUID, String> listed, Set<UUID> liveIds, Instant now) {
    listed.forEach(
        (id, ref) -> {
          if (!liveIds.contains(id) && !spared(id, now)) {
            LOG.warn("stopping orphan worker process worker={} runtime={} ref={}", id, kind, ref);
            judged(id, () -> runtimes.of(kind).stop(ref, KILL_GRACE));
          }
        });
  }

  private static Optional<Map<UUID, String>> listed(String kind, WorkerRuntime runtime) {
    try {
      return Optional.of(runtime.list());
    } catch (RuntimeException e) {
      LOG.warn("worker runtime={} not listed: {}", kind, e.toString());
      return Optional.empty();
    }
  }

  /**
   * Not an orphan: a worker whose live row was written after this pass read the rows (by any
   * replica), or one that ended moments ago and may still be finishing its exit.
   */
  private boolean spared(UUID workerId, Instant now) {
    return workers
        .findById(workerId)
        .map(
            w ->
                w.state().live()
                    || (w.stoppedAt() != null
                        && w.stoppedAt().plus(settings.shutdownGrace()).isAfter(now)))
        .orElse(false);
  }

  private void judged(UUID workerId, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      outages.failed(e);
      LOG.warn("reconcile of worker={} failed", workerId, e);
    }
  }

  @Override
  protected void failed(RuntimeException e) {
    outages.failed(e);
  }
}
