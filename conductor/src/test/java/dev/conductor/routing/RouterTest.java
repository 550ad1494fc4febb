package dev.conductor.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.fleet.WorkerState;
import dev.conductor.routing.RoutingPlan.Assignment;
import dev.conductor.routing.RoutingPlan.WorkerStart;
import dev.conductor.routing.RoutingSnapshot.Limits;
import dev.conductor.routing.RoutingSnapshot.LiveWorker;
import dev.conductor.routing.RoutingSnapshot.QueuedJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The routing policy without a database: what one pass decides from what it sees. */
class RouterTest {
  private static final Limits LIMITS = new Limits(2, 3, 5);
  private static final Placement EU = new Placement("a", "eu");
  private static final Placement US = new Placement("a", "us");

  @Test
  void aJobGoesToTheLeastLoadedReadyWorkerOfItsKey() {
    LiveWorker busy = worker("a", WorkerState.READY, 2, 1);
    LiveWorker idle = worker("a", WorkerState.READY, 2, 0);
    QueuedJob job = job("a");

    RoutingPlan plan = Router.decide(snapshot(List.of(job), List.of(busy, idle), 0));

    assertThat(plan.assignments()).containsExactly(new Assignment(job.id(), idle.id()));
    assertThat(plan.starts()).isEmpty();
    assertThat(plan.waiting()).isEmpty();
  }

  @Test
  void loadTakenInOnePassCountsForTheNextJob() {
    LiveWorker first = worker("a", WorkerState.READY, 2, 0);
    LiveWorker second = worker("a", WorkerState.READY, 2, 0);
    List<QueuedJob> jobs = List.of(job("a"), job("a"), job("a"), job("a"), job("a"));

    RoutingPlan plan = Router.decide(snapshot(jobs, List.of(first, second), 0));

    // Two each (alternating, least loaded first), the fifth waits and asks for a worker.
    assertThat(plan.assignments())
        .extracting(Assignment::workerId)
        .containsExactly(first.id(), second.id(), first.id(), second.id());
    assertThat(plan.waiting()).isEqualTo(Map.of("a", 1));
    assertThat(plan.starts()).containsExactly(new WorkerStart("a", 2));
  }

  @Test
  void aWorkerOfAnotherKeyOrNotReadyNeverGetsTheJob() {
    LiveWorker otherKey = worker("b", WorkerState.READY, 2, 0);
    LiveWorker starting = worker("a", WorkerState.STARTING, 2, 0);
    LiveWorker draining = worker("a", WorkerState.DRAINING, 2, 0);

    RoutingPlan plan =
        Router.decide(snapshot(List.of(job("a")), List.of(otherKey, starting, draining), 0));

    assertThat(plan.assignments()).isEmpty();
    assertThat(plan.waiting()).isEqualTo(Map.of("a", 1));
  }

  @Test
  void demandThatStartingWorkersWillAbsorbStartsNothing() {
    LiveWorker starting = worker("a", WorkerState.STARTING, 2, 0);

    RoutingPlan absorbed = Router.decide(snapshot(jobs("a", 2), List.of(starting), 0));
    RoutingPlan overflow = Router.decide(snapshot(jobs("a", 5), List.of(starting), 0));

    assertThat(absorbed.starts()).isEmpty();
    assertThat(absorbed.waiting()).isEqualTo(Map.of("a", 2));
    // 5 waiting - 2 absorbed = 3 uncovered: two more workers of capacity 2.
    assertThat(overflow.starts()).hasSize(2).allMatch(s -> s.affinityKey().equals("a"));
  }

  @Test
  void aStartingWorkerOfAnotherKeyAbsorbsNothing() {
    LiveWorker starting = worker("b", WorkerState.STARTING, 2, 0);

    RoutingPlan plan = Router.decide(snapshot(jobs("a", 1), List.of(starting), 0));

    assertThat(plan.starts()).containsExactly(new WorkerStart("a", 2));
  }

  @Test
  void startsStopAtThePerKeyLimit() {
    List<LiveWorker> full =
        List.of(worker("a", WorkerState.READY, 2, 2), worker("a", WorkerState.READY, 2, 2));

    RoutingPlan plan = Router.decide(snapshot(jobs("a", 10), full, 0));

    // maxWorkersPerKey 3: one more, whatever the backlog.
    assertThat(plan.starts()).hasSize(1);
    assertThat(plan.waiting()).isEqualTo(Map.of("a", 10));
  }

  @Test
  void startsStopAtThePerTenantLimitCountingThisPassStarts() {
    List<QueuedJob> jobs = new ArrayList<>(jobs("a", 10));
    jobs.addAll(jobs("b", 10));
    jobs.addAll(jobs("c", 10));

    RoutingPlan plan = Router.decide(snapshot(jobs, List.of(), 0));

    // maxWorkersPerTenant 5: three for the first key (its limit), two for the next, none after.
    assertThat(plan.starts())
        .extracting(WorkerStart::affinityKey)
        .containsExactly("a", "a", "a", "b", "b");
  }

  @Test
  void drainingWorkersDoNotCountTowardsTheLimits() {
    List<LiveWorker> draining =
        List.of(
            worker("a", WorkerState.DRAINING, 2, 1),
            worker("a", WorkerState.DRAINING, 2, 1),
            worker("a", WorkerState.DRAINING, 2, 1));

    RoutingPlan plan = Router.decide(snapshot(jobs("a", 1), draining, 0));

    assertThat(plan.starts()).containsExactly(new WorkerStart("a", 2));
  }

  @Test
  void theCrashLoopGuardHoldsStartsButNotDispatch() {
    LiveWorker ready = worker("a", WorkerState.READY, 1, 0);

    RoutingPlan held = Router.decide(snapshot(jobs("a", 3), List.of(ready), 3));
    RoutingPlan belowGuard = Router.decide(snapshot(jobs("a", 3), List.of(ready), 2));

    assertThat(held.assignments()).hasSize(1);
    assertThat(held.starts()).isEmpty();
    assertThat(held.startsHeld()).isTrue();
    assertThat(held.waiting()).isEqualTo(Map.of("a", 2));
    assertThat(belowGuard.starts()).isNotEmpty();
    assertThat(belowGuard.startsHeld()).isFalse();
  }

  @Test
  void nothingQueuedDecidesNothing() {
    RoutingPlan plan =
        Router.decide(snapshot(List.of(), List.of(worker("a", WorkerState.READY, 2, 0)), 5));

    assertThat(plan.isEmpty()).isTrue();
    assertThat(plan.startsHeld()).isFalse();
  }

  @Test
  void aJobForOneLocationNeverGoesToAWorkerInAnotherAndOneStartsThere() {
    LiveWorker us = new LiveWorker(UUID.randomUUID(), US, WorkerState.READY, 2, 0);
    LiveWorker anywhere = worker("a", WorkerState.READY, 2, 0);
    QueuedJob forEu = new QueuedJob(UUID.randomUUID(), EU);

    RoutingPlan plan = Router.decide(snapshot(List.of(forEu), List.of(us, anywhere), 0));

    assertThat(plan.assignments()).isEmpty();
    assertThat(plan.starts()).containsExactly(new WorkerStart(EU, 2));
    assertThat(plan.waiting()).isEqualTo(Map.of("a", 1));
  }

  @Test
  void aJobGoesToAReadyWorkerOfItsKeyInItsLocation() {
    LiveWorker us = new LiveWorker(UUID.randomUUID(), US, WorkerState.READY, 2, 0);
    LiveWorker eu = new LiveWorker(UUID.randomUUID(), EU, WorkerState.READY, 2, 1);
    QueuedJob forEu = new QueuedJob(UUID.randomUUID(), EU);

    RoutingPlan plan = Router.decide(snapshot(List.of(forEu), List.of(us, eu), 0));

    assertThat(plan.assignments()).containsExactly(new Assignment(forEu.id(), eu.id()));
    assertThat(plan.starts()).isEmpty();
  }

  @Test
  void aStartingWorkerAbsorbsOnlyDemandOfItsOwnLocation() {
    LiveWorker startingInUs = new LiveWorker(UUID.randomUUID(), US, WorkerState.STARTING, 2, 0);
    QueuedJob forEu = new QueuedJob(UUID.randomUUID(), EU);
    QueuedJob forUs = new QueuedJob(UUID.randomUUID(), US);

    RoutingPlan plan = Router.decide(snapshot(List.of(forEu, forUs), List.of(startingInUs), 0));

    assertThat(plan.starts()).containsExactly(new WorkerStart(EU, 2));
    assertThat(plan.waiting()).isEqualTo(Map.of("a", 2));
  }

  @Test
  void thePerKeyLimitCountsPerLocation() {
    List<LiveWorker> fullInUs = new ArrayList<>();
    for (int i = 0; i < LIMITS.maxWorkersPerKey(); i++) {
      fullInUs.add(new LiveWorker(UUID.randomUUID(), US, WorkerState.READY, 2, 2));
    }
    List<QueuedJob> queued = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      queued.add(new QueuedJob(UUID.randomUUID(), US));
      queued.add(new QueuedJob(UUID.randomUUID(), EU));
    }

    RoutingPlan plan = Router.decide(snapshot(queued, fullInUs, 0));

    // us is at the per-key limit (3), eu has none of its own: two there for four jobs; the
    // tenant's limit (5) still counts every location.
    assertThat(plan.starts()).containsExactly(new WorkerStart(EU, 2), new WorkerStart(EU, 2));
  }

  @Test
  void headroomIsTheFreeSlotsPerPlacementPlusWhatNewWorkersTake() {
    // Limits: capacity 2, 3 workers per key, 5 per tenant.
    LiveWorker full = worker("a", WorkerState.READY, 2, 2);
    LiveWorker half = worker("a", WorkerState.READY, 2, 1);
    LiveWorker starting = worker("b", WorkerState.STARTING, 2, 0);
    LiveWorker draining = worker("c", WorkerState.DRAINING, 2, 0);

    Router.Headroom room = Router.headroom(List.of(full, half, starting, draining), LIMITS, 1000);

    // a: 1 free + 1 more worker (3 per key, 2 more per tenant) of 2; b: 2 absorbed + 2 workers of
    // 2.
    assertThat(room.perPlacement())
        .isEqualTo(Map.of(new Placement("a", ""), 3, new Placement("b", ""), 6));
    assertThat(room.elsewhere()).as("two more workers for the tenant").isEqualTo(4);
    assertThat(room.total()).isEqualTo(13);
  }

  @Test
  void noHeadroomWhenEveryWorkerIsFullAndNoneMayStart() {
    Limits oneWorker = new Limits(2, 1, 1);
    LiveWorker full = worker("a", WorkerState.READY, 2, 2);

    Router.Headroom room = Router.headroom(List.of(full), oneWorker, 1000);

    assertThat(room.isEmpty()).isTrue();
    assertThat(room.total()).isZero();
    assertThat(Router.headroom(List.of(), oneWorker, 1000).elsewhere()).isEqualTo(2);
  }

  @Test
  void eachNewPlacementIsReadOnlyUpToWhatItsOwnWorkersTake() {
    // Capacity 64, 4 workers per key, 16 per tenant; one READY worker of key a.
    Limits limits = new Limits(64, 4, 16);
    LiveWorker a = worker("a", WorkerState.READY, 64, 64);

    Router.Headroom room = Router.headroom(List.of(a), limits, 1000);

    assertThat(room.elsewhere()).as("15 more workers for the tenant, capped").isEqualTo(960);
    assertThat(room.newPlacements()).as("each new placement needs a worker").isEqualTo(15);
    assertThat(room.perNewPlacement())
        .as("a key's backlog fills at most its own 4 workers, not the whole part")
        .isEqualTo(256);
  }

  @Test
  void headroomIsCappedPerPart() {
    Limits big = new Limits(64, 16, 16);

    Router.Headroom room = Router.headroom(List.of(), big, 100);

    assertThat(room.elsewhere()).isEqualTo(100);
  }

  private static RoutingSnapshot snapshot(
      List<QueuedJob> queued, List<LiveWorker> workers, long failedStarts) {
    return new RoutingSnapshot(queued, workers, LIMITS, failedStarts);
  }

  private static LiveWorker worker(String key, WorkerState state, int capacity, long inFlight) {
    return new LiveWorker(UUID.randomUUID(), key, state, capacity, inFlight);
  }

  private static QueuedJob job(String key) {
    return new QueuedJob(UUID.randomUUID(), key);
  }

  private static List<QueuedJob> jobs(String key, int count) {
    List<QueuedJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(job(key));
    }
    return jobs;
  }
}
