package dev.conductor.routing;

import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What one routing pass decided for a tenant: jobs handed to READY workers, workers to start for
 * the rest, and what still waits per affinity key (all its locations together). {@code startsHeld}
 * says the crash-loop guard kept workers from starting.
 */
public record RoutingPlan(
    List<Assignment> assignments,
    List<WorkerStart> starts,
    Map<String, Integer> waiting,
    boolean startsHeld) {

  public record Assignment(UUID jobId, UUID workerId) {}

  public record WorkerStart(Placement placement, int capacity) {
    /** A worker with no location. */
    public WorkerStart(String affinityKey, int capacity) {
      this(new Placement(affinityKey, ""), capacity);
    }

    public String affinityKey() {
      return placement.affinityKey();
    }

    public String location() {
      return placement.location();
    }
  }

  public boolean isEmpty() {
    return assignments.isEmpty() && starts.isEmpty();
  }
}
