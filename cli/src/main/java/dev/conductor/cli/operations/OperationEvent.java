package dev.conductor.cli.operations;

import dev.conductor.api.v1.EventView;
import dev.conductor.cli.Json;

/** One step an operation recorded, as the progress printers show it. */
public record OperationEvent(String at, String level, String message) {

  public static OperationEvent from(EventView event) {
    return new OperationEvent(
        Json.display(event.at()), Json.display(event.level()), Json.display(event.message()));
  }

  public String line() {
    return String.format("%s %-5s %s", at, level, message);
  }

  public boolean isInfo() {
    return "INFO".equals(level);
  }
}
