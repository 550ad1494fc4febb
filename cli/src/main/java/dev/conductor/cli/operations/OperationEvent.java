package dev.conductor.cli.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.Json;

/** One step an operation recorded: {@code {"at","level","message"}}. */
public record OperationEvent(String at, String level, String message) {

  public static OperationEvent from(JsonNode json) {
    return new OperationEvent(
        Json.display(json, "at"), Json.display(json, "level"), Json.display(json, "message"));
  }

  public String line() {
    return String.format("%s %-5s %s", at, level, message);
  }

  public boolean isInfo() {
    return "INFO".equals(level);
  }
}
