package dev.conductor.cli.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.Json;
import dev.conductor.cli.operations.WaitOption;
import java.io.PrintWriter;

/** What delete and retry print once the server has accepted their operation. */
final class OperationStarted {

  private OperationStarted() {}

  static void print(ConnectionOptions connection, WaitOption wait, JsonNode accepted, String what) {
    PrintWriter out = connection.out();
    String operationId = Json.display(accepted, "operationId");
    if (connection.json()) {
      out.println(Json.pretty(accepted));
    } else {
      out.println(what + ", operation " + operationId + ".");
      if (!wait.requested()) {
        out.println("Follow progress with: conductor operations show " + operationId);
      }
    }
    out.flush();
  }
}
