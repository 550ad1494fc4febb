package dev.conductor.cli.workers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerFormatTest {
  private static final Instant NOW = Instant.parse("2025-11-21T10:05:00Z");

  private static final String WORKERS =
      """
      [{"id":"c079b5db-0b04-419a-9f6b-d6c2bdad07a1","tenant":"demo","affinityKey":"proxy-us",
        "state":"READY","inFlight":2,"capacity":2,"startedAt":"2025-11-21T10:00:01Z",
        "lastActivityAt":"2025-11-21T10:00:03Z","generation":3},
       {"id":"5cfd0560-0e04-4be8-ad5b-305340eb0a4b","tenant":"demo","location":"eu",
        "state":"STOPPED","inFlight":0,"capacity":2,"startedAt":"2025-11-21T10:00:00Z",
        "lastActivityAt":"2025-11-21T10:00:02Z","generation":12,"stopReason":"idle"}]
      """;

  @Test
  void listShowsInFlightOverCapacityLocationAndADashForNone() {
    assertThat(WorkerFormat.list(workers(WORKERS), false, NOW))
        .isEqualTo(
            """
            ID                                    TENANT  KEY       LOCATION  STATE    IN-FLIGHT/CAPACITY  GENERATION  STARTED
            c079b5db-0b04-419a-9f6b-d6c2bdad07a1  demo    proxy-us  -         READY    2/2                 3           4m ago
            5cfd0560-0e04-4be8-ad5b-305340eb0a4b  demo    -         eu        STOPPED  0/2                 12          5m ago
            """);
  }

  @Test
  void listAllAddsTheReasonAWorkerStopped() {
    assertThat(WorkerFormat.list(workers(WORKERS), true, NOW).lines())
        .first()
        .asString()
        .endsWith("STARTED  REASON");
    assertThat(WorkerFormat.list(workers(WORKERS), true, NOW).lines())
        .element(1)
        .asString()
        .endsWith("4m ago   -");
    assertThat(WorkerFormat.list(workers(WORKERS), true, NOW).lines())
        .element(2)
        .asString()
        .endsWith("5m ago   idle");
  }

  @Test
  void anEmptyListExplainsWorkersComeAndGo() {
    assertThat(WorkerFormat.list(workers("[]"), false, NOW))
        .isEqualTo("No live workers: they start when jobs arrive and stop when idle.\n");
    assertThat(WorkerFormat.list(workers("[]"), true, NOW)).isEqualTo("No workers.\n");
  }

  @Test
  void detailShowsWhereTheWorkerRunsAndItsEgressAddress() {
    WorkerView worker =
        worker(
            """
            {"id":"c079b5db-0b04-419a-9f6b-d6c2bdad07a1","tenant":"demo","affinityKey":"proxy-us",
             "location":"us","egressAddress":"203.0.113.9,203.0.113.10","state":"STOPPED",
             "inFlight":0,"capacity":2,"startedAt":"2025-11-21T10:00:01Z",
             "lastActivityAt":"2025-11-21T10:00:03Z","generation":3,"stopReason":"idle"}
            """);

    assertThat(WorkerFormat.detail(worker))
        .isEqualTo(
            """
            ID:                  c079b5db-0b04-419a-9f6b-d6c2bdad07a1
            Tenant:              demo
            Affinity key:        proxy-us
            Location:            us
            Egress:              203.0.113.9,203.0.113.10
            State:               STOPPED
            In-flight/capacity:  0/2
            Generation:          3
            Started:             2025-11-21T10:00:01Z
            Last activity:       2025-11-21T10:00:03Z
            Reason:              idle
            """);
    assertThat(WorkerFormat.detail(worker("{\"id\":\"w\",\"state\":\"READY\"}")))
        .contains("Location:            -\n", "Egress:              -\n")
        .doesNotContain("Reason:");
  }

  @Test
  void drainedSaysWhenTheWorkerStops() {
    assertThat(WorkerFormat.drained(worker("{\"id\":\"w\",\"state\":\"DRAINING\",\"inFlight\":0}")))
        .isEqualTo("Worker w is DRAINING: it takes no new jobs and stops now.\n");
    assertThat(
            WorkerFormat.drained(
                worker("{\"id\":\"w\",\"state\":\"STOPPED\",\"stopReason\":\"idle\"}")))
        .isEqualTo("Worker w is STOPPED (idle).\n");
  }

  private static List<WorkerView> workers(String json) {
    return List.of(Json.read(json, WorkerView[].class));
  }

  private static WorkerView worker(String json) {
    return Json.read(json, WorkerView.class);
  }
}
