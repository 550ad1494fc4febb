package dev.conductor.cli.operations;

import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.OperationFailedException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Cancel a QUEUED operation at once, or ask a RUNNING one to stop at its provisioner's next"
          + " safe point. With --wait, exit 0 once it is CANCELLED, 1 if it ended otherwise."
    })
public final class CancelOperationCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "ID", description = "The operation id.")
  String id;

  @Override
  public Integer call() {
    OperationView operation = connection.client().cancelOperation(id);
    boolean cancelled = Outcome.CANCELLED.equals(operation.status());
    PrintWriter out = connection.out();
    if (connection.structured()) {
      out.print(connection.render(operation));
    } else if (cancelled) {
      out.println("Operation " + id + " is CANCELLED.");
    } else {
      out.println(
          "Cancel of operation "
              + id
              + " requested: it stops at the provisioner's next safe point.");
    }
    out.flush();
    if (wait.requested() && !cancelled) {
      Outcome outcome = wait.follow(connection, id);
      if (!outcome.cancelled()) {
        throw new OperationFailedException(
            "operation " + id + " ended " + outcome.status() + " before the cancel took effect");
      }
      WaitOption.progressOut(connection).println("operation " + id + " cancelled");
      WaitOption.progressOut(connection).flush();
    }
    return ExitCodes.OK;
  }
}
