package dev.conductor.cli.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;

/** The table view of {@code GET /v1/operations/{id}}. */
public final class OperationFormat {

  private OperationFormat() {}

  public static String detail(JsonNode operation) {
    Table summary =
        new Table()
            .row("Operation:", Json.display(operation, "id"))
            .row("Tenant:", Json.display(operation, "tenant"))
            .row("Kind:", Json.display(operation, "kind"))
            .row("Status:", Json.display(operation, "status"))
            .row("Created:", Json.display(operation, "createdAt"))
            .row("Updated:", Json.display(operation, "updatedAt"));
    if (Json.text(operation, "plan") != null) {
      summary.row("Plan:", Json.text(operation, "plan"));
    }
    if (operation.path("cancelRequested").asBoolean(false)
        && !Outcome.isTerminal(Json.text(operation, "status"))) {
      summary.row("Cancel:", "requested");
    }
    if (Json.text(operation, "error") != null) {
      summary.row("Error:", Json.text(operation, "error"));
    }
    JsonNode events = operation.path("events");
    if (events.isEmpty()) {
      return summary.render() + "\nEvents: none yet\n";
    }
    Table log = new Table("AT", "LEVEL", "MESSAGE");
    for (JsonNode event : events) {
      OperationEvent e = OperationEvent.from(event);
      log.row(e.at(), e.level(), e.message());
    }
    return summary.render() + "\n" + log.render();
  }
}
