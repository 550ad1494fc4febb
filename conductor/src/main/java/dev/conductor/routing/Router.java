package dev.conductor.routing;

import dev.conductor.fleet.WorkerState;
import dev.conductor.routing.RoutingPlan.Assignment;
import dev.conductor.routing.RoutingPlan.WorkerStart;
import dev.conductor.routing.RoutingSnapshot.Limits;
import dev.conductor.routing.RoutingSnapshot.LiveWorker;
import dev.conductor.routing.RoutingSnapshot.QueuedJob;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * The routing policy, as a pure function of a snapshot: each queued job goes to the least-loaded
 * READY worker of its placement (affinity key and location) with free capacity, never to a worker
 * in another location; for the jobs left, workers are started there within the plan's limits
 * (per-key limits count per placement), never for demand that STARTING workers of that placement
 * will absorb, and not at all while the tenant's workers keep failing to start.
 */
public final class Router {
  /** A worker template that cannot start must not turn into a fork storm. */
  public static final int MAX_FAILED_STARTS = 3;

  /** How far back failed starts count towards {@link #MAX_FAILED_STARTS}. */
  public static final Duration CRASH_WINDOW = Duration.ofSeconds(30);

  private Router() {}

  public static RoutingPlan decide(RoutingSnapshot snapshot) {
    Map<UUID, Long> load = new HashMap<>();
    snapshot.workers().forEach(w -> load.put(w.id(), w.inFlight()));
    List<Assignment> assignments = new ArrayList<>();
    Map<Placement, Integer> waiting = new LinkedHashMap<>();
    for (QueuedJob job : snapshot.queued()) {
      LiveWorker target =
          snapshot.workers().stream()
              .filter(w -> w.state() == WorkerState.READY)
              .filter(w -> w.placement().equals(job.placement()))
              .filter(w -> inFlight(load, w) < w.capacity())
              .min(Comparator.comparingLong(w -> inFlight(load, w)))
              .orElse(null);
      if (target == null) {
        waiting.merge(job.placement(), 1, Integer::sum);
      } else {
        load.merge(target.id(), 1L, Long::sum);
        assignments.add(new Assignment(job.id(), target.id()));
      }
    }
    boolean startsHeld = !waiting.isEmpty() && snapshot.recentFailedStarts() >= MAX_FAILED_STARTS;
    List<WorkerStart> starts = new ArrayList<>();
    if (!startsHeld) {
      waiting.forEach((at, count) -> starts.addAll(startsFor(at, count, snapshot, starts)));
    }
    Map<String, Integer> waitingPerKey = new LinkedHashMap<>();
    waiting.forEach((at, count) -> waitingPerKey.merge(at.affinityKey(), count, Integer::sum));
    return new RoutingPlan(assignments, starts, waitingPerKey, startsHeld);
  }

  /**
   * How many queued jobs a pass can act on: per placement that has workers, their free slots plus
   * what the workers it may still start would take (STARTING workers' slots count: the jobs they
   * will absorb must be seen so that no more workers start for them); elsewhere, what the workers
   * the tenant may still start would take. A pass reads no more than this, capped per part at
   * {@code cap}; a placement that can take nothing is not read at all.
   */
  public static Headroom headroom(List<LiveWorker> workers, Limits limits, int cap) {
    List<LiveWorker> active =
        workers.stream().filter(w -> w.state() != WorkerState.DRAINING).toList();
    long tenantStarts = Math.max(0, limits.maxWorkersPerTenant() - active.size());
    Map<Placement, Long> free = new LinkedHashMap<>();
    Map<Placement, Long> count = new HashMap<>();
    for (LiveWorker w : active) {
      long slots =
          w.state() == WorkerState.READY ? Math.max(0, w.capacity() - w.inFlight()) : w.capacity();
      free.merge(w.placement(), slots, Long::sum);
      count.merge(w.placement(), 1L, Long::sum);
    }
    Map<Placement, Integer> perPlacement = new LinkedHashMap<>();
    free.forEach(
        (at, slots) -> {
          long starts =
              Math.min(
                  Math.max(0, limits.maxWorkersPerKey() - count.getOrDefault(at, 0L)),
                  tenantStarts);
          perPlacement.put(at, (int) Math.min(cap, slots + starts * limits.workerCapacity()));
        });
    // New placements share the workers the tenant may still start; each takes at most its
    // per-key limit of them, so no placement's backlog crowds the others out of a pass.
    long elsewhere =
        limits.maxWorkersPerKey() > 0 ? tenantStarts * (long) limits.workerCapacity() : 0;
    long perNew = Math.min(elsewhere, limits.maxWorkersPerKey() * (long) limits.workerCapacity());
    return new Headroom(
        perPlacement,
        (int) Math.min(cap, elsewhere),
        (int) Math.min(cap, limits.maxWorkersPerKey() > 0 ? tenantStarts : 0),
        (int) Math.min(cap, perNew));
  }

  /**
   * Queued jobs a pass can act on: per placement with workers, and for all others together ({@code
   * elsewhere}): of those, the {@code newPlacements} placements with the oldest jobs (each needs a
   * worker of its own), at most {@code perNewPlacement} jobs of each.
   */
  public record Headroom(
      Map<Placement, Integer> perPlacement, int elsewhere, int newPlacements, int perNewPlacement) {
    /** Any number of new placements, each up to all of {@code elsewhere}. */
    public Headroom(Map<Placement, Integer> perPlacement, int elsewhere) {
      this(perPlacement, elsewhere, elsewhere, elsewhere);
    }

    /** Nothing can be placed nor started: the pass need not read the queue. */
    public boolean isEmpty() {
      return elsewhere == 0 && perPlacement.values().stream().allMatch(n -> n == 0);
    }

    /** The most jobs a pass reads. */
    public int total() {
      return elsewhere + perPlacement.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  /** {@code load} has an entry for every worker of the snapshot. */
  private static long inFlight(Map<UUID, Long> load, LiveWorker worker) {
    return Objects.requireNonNull(load.get(worker.id()), "every worker has a load");
  }

  /**
   * Workers to start for {@code waiting} jobs of one placement, after crediting what STARTING
   * workers of that placement will absorb; bounded per placement (the plan's per-key limit) and per
   * tenant, counting the starts already planned (DRAINING workers do not count: they take no new
   * work).
   */
  private static List<WorkerStart> startsFor(
      Placement at, int waiting, RoutingSnapshot snapshot, List<WorkerStart> planned) {
    List<LiveWorker> active =
        snapshot.workers().stream().filter(w -> w.state() != WorkerState.DRAINING).toList();
    int absorbed =
        active.stream()
            .filter(w -> w.state() == WorkerState.STARTING && w.placement().equals(at))
            .mapToInt(LiveWorker::capacity)
            .sum();
    long forKey =
        active.stream().filter(w -> w.placement().equals(at)).count()
            + planned.stream().filter(s -> s.placement().equals(at)).count();
    long forTenant = active.size() + planned.size();
    RoutingSnapshot.Limits limits = snapshot.limits();
    List<WorkerStart> starts = new ArrayList<>();
    int uncovered = waiting - absorbed;
    while (uncovered > 0
        && forKey < limits.maxWorkersPerKey()
        && forTenant < limits.maxWorkersPerTenant()) {
      starts.add(new WorkerStart(at, limits.workerCapacity()));
      uncovered -= limits.workerCapacity();
      forKey++;
      forTenant++;
    }
    return starts;
  }
}
