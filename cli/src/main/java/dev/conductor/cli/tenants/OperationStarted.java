package dev.conductor.cli.tenants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.Json;
import dev.conductor.cli.operations.WaitOption;
import java.io.PrintWriter;

/**
 * What delete and retry do once the server has accepted their operation: say so, then follow it.
 */
final class OperationStarted {

  private OperationStarted() {}

  static void follow(
      ConnectionOptions connection, WaitOption wait, JsonNode accepted, String what) {
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
    if (wait.requested()) {
      wait.await(connection, Json.text(accepted, "operationId"), "");
    }
  }
}
