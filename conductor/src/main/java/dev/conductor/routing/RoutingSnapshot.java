package dev.conductor.routing;

import dev.conductor.fleet.WorkerState;
import java.util.List;
import java.util.UUID;

/**
 * What routing sees of one tenant at one moment: the head of its queue (oldest first), its live
 * workers with their jobs in flight (oldest first), its plan's limits and how many of its workers
 * recently failed to start.
 */
public record RoutingSnapshot(
    List<QueuedJob> queued, List<LiveWorker> workers, Limits limits, long recentFailedStarts) {

  public record QueuedJob(UUID id, Placement placement) {
    /** A job with no location. */
    public QueuedJob(UUID id, String affinityKey) {
      this(id, new Placement(affinityKey, ""));
    }

    public String affinityKey() {
      return placement.affinityKey();
    }
  }

  public record LiveWorker(
      UUID id, Placement placement, WorkerState state, int capacity, long inFlight) {
    /** A worker with no location. */
    public LiveWorker(UUID id, String affinityKey, WorkerState state, int capacity, long inFlight) {
      this(id, new Placement(affinityKey, ""), state, capacity, inFlight);
    }

    public String affinityKey() {
      return placement.affinityKey();
    }
  }

  /** The plan's worker shape and bounds. */
  public record Limits(int workerCapacity, int maxWorkersPerKey, int maxWorkersPerTenant) {}
}
