package dev.conductor.cli.operations;

import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.util.List;

/** The table view of {@code GET /v1/operations/{id}}. */
public final class OperationFormat {

  private OperationFormat() {}

  public static String detail(OperationView operation) {
    Table summary =
        new Table()
            .row("Operation:", Json.display(operation.id()))
            .row("Tenant:", Json.display(operation.tenant()))
            .row("Kind:", Json.display(operation.kind()))
            .row("Status:", Json.display(operation.status()))
            .row("Created:", Json.display(operation.createdAt()))
            .row("Updated:", Json.display(operation.updatedAt()));
    if (operation.plan() != null) {
      summary.row("Plan:", operation.plan());
    }
    if (operation.cancelRequested() && !Outcome.isTerminal(operation.status())) {
      summary.row("Cancel:", "requested");
    }
    if (operation.error() != null) {
      summary.row("Error:", operation.error());
    }
    List<EventView> events = operation.events() == null ? List.of() : operation.events();
    if (events.isEmpty()) {
      return summary.render() + "\nEvents: none yet\n";
    }
    Table log = new Table("AT", "LEVEL", "MESSAGE");
    for (EventView event : events) {
      OperationEvent e = OperationEvent.from(event);
      log.row(e.at(), e.level(), e.message());
    }
    return summary.render() + "\n" + log.render();
  }
}
