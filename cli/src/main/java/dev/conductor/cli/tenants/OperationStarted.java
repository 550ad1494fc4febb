package dev.conductor.cli.tenants;

import dev.conductor.api.v1.StartedOperation;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.Json;
import dev.conductor.cli.operations.WaitOption;
import java.io.PrintWriter;

/**
 * What delete, retry, refresh and update do once the server has accepted their operation: say so,
 * then follow it.
 */
final class OperationStarted {

  private OperationStarted() {}

  static void follow(
      ConnectionOptions connection, WaitOption wait, StartedOperation accepted, String what) {
    follow(connection, wait, accepted, what, "");
  }

  /**
   * @param onFailure what the user can do if the operation fails, appended to the error
   */
  static void follow(
      ConnectionOptions connection,
      WaitOption wait,
      StartedOperation accepted,
      String what,
      String onFailure) {
    PrintWriter out = connection.out();
    String operationId = Json.display(accepted.operationId());
    if (connection.structured()) {
      out.print(connection.render(accepted));
    } else {
      out.println(what + ", operation " + operationId + ".");
      if (!wait.requested()) {
        out.println("Follow progress with: conductor operations show " + operationId + " --wait");
      }
    }
    out.flush();
    if (wait.requested()) {
      wait.await(connection, accepted.operationId(), onFailure);
    }
  }
}
