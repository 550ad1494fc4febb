package dev.conductor.cli.operations;

import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.OperationPage;
import dev.conductor.api.v1.OperationSummary;
import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.Age;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import jakarta.annotation.Nullable;
import java.time.Instant;
import java.util.List;

/** The table views of {@code GET /v1/operations} and {@code GET /v1/operations/{id}}. */
public final class OperationFormat {

  private static final int ERROR_WIDTH = 60;

  private OperationFormat() {}

  /**
   * @param moreArgs the filter flags to repeat in the hint for the next page, e.g. " --limit 10"
   * @param now what CREATED's ages count from
   */
  public static String list(OperationPage page, String moreArgs, Instant now) {
    if (page.items() == null || page.items().isEmpty()) {
      return "No operations found.\n";
    }
    Table table = new Table("ID", "TENANT", "KIND", "STATUS", "ATTEMPTS", "CREATED", "ERROR");
    for (OperationSummary operation : page.items()) {
      table.row(
          Json.display(operation.id()),
          Json.display(operation.tenant()),
          Json.display(operation.kind()),
          Json.display(operation.status()),
          Json.display(operation.attempts()),
          Age.ago(operation.createdAt(), now),
          firstLine(operation.error()));
    }
    String next = page.nextCursor();
    return table.render()
        + (next == null
            ? ""
            : "\nMore: conductor operations list --cursor " + next + moreArgs + "\n");
  }

  /** An error's first line, cut to fit a table row; the whole of it is in `operations show`. */
  private static String firstLine(@Nullable String error) {
    if (error == null || error.isEmpty()) {
      return "-";
    }
    String line = error.lines().findFirst().orElse("");
    return line.length() <= ERROR_WIDTH ? line : line.substring(0, ERROR_WIDTH - 1) + "…";
  }

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
