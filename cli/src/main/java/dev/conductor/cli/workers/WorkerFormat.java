package dev.conductor.cli.workers;

import dev.conductor.api.v1.WorkerView;
import dev.conductor.cli.Age;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/** The table views of worker JSON. */
public final class WorkerFormat {

  private WorkerFormat() {}

  /**
   * @param all whether ended workers were asked for too: adds the REASON column
   * @param now what STARTED's ages count from
   */
  public static String list(List<WorkerView> workers, boolean all, Instant now) {
    if (workers.isEmpty()) {
      return all
          ? "No workers.\n"
          : "No live workers: they start when jobs arrive and stop when idle.\n";
    }
    Table table =
        all
            ? new Table(
                "ID",
                "TENANT",
                "KEY",
                "LOCATION",
                "STATE",
                "IN-FLIGHT/CAPACITY",
                "GENERATION",
                "STARTED",
                "REASON")
            : new Table(
                "ID",
                "TENANT",
                "KEY",
                "LOCATION",
                "STATE",
                "IN-FLIGHT/CAPACITY",
                "GENERATION",
                "STARTED");
    for (WorkerView worker : workers) {
      String[] cells = {
        Json.display(worker.id()),
        Json.display(worker.tenant()),
        Json.display(worker.affinityKey()),
        Json.display(worker.location()),
        Json.display(worker.state()),
        worker.inFlight() + "/" + worker.capacity(),
        Json.display(worker.generation()),
        Age.ago(worker.startedAt(), now),
        Json.display(worker.stopReason())
      };
      table.row(all ? cells : Arrays.copyOf(cells, cells.length - 1));
    }
    return table.render();
  }

  /** {@code workers show}: one worker, where it runs and where its traffic leaves from. */
  public static String detail(WorkerView worker) {
    Table summary =
        new Table()
            .row("ID:", Json.display(worker.id()))
            .row("Tenant:", Json.display(worker.tenant()))
            .row("Affinity key:", Json.display(worker.affinityKey()))
            .row("Location:", Json.display(worker.location()))
            .row("Egress:", Json.display(worker.egressAddress()))
            .row("State:", Json.display(worker.state()))
            .row("In-flight/capacity:", worker.inFlight() + "/" + worker.capacity())
            .row("Generation:", Json.display(worker.generation()))
            .row("Started:", Json.display(worker.startedAt()))
            .row("Last activity:", Json.display(worker.lastActivityAt()));
    if (worker.stopReason() != null) {
      summary.row("Reason:", Json.display(worker.stopReason()));
    }
    return summary.render();
  }

  /** What {@code workers drain} says about the worker it asked to stop. */
  public static String drained(WorkerView worker) {
    String id = Json.display(worker.id());
    String state = Json.display(worker.state());
    long inFlight = worker.inFlight();
    if ("DRAINING".equals(state)) {
      return "Worker "
          + id
          + " is DRAINING: it takes no new jobs"
          + (inFlight == 0
              ? " and stops now.\n"
              : ", finishes its " + inFlight + " in-flight job(s), then stops.\n");
    }
    String reason = worker.stopReason();
    return "Worker " + id + " is " + state + (reason == null ? "" : " (" + reason + ")") + ".\n";
  }
}
