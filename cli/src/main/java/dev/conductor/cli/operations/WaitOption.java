package dev.conductor.cli.operations;

import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.OperationFailedException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** {@code --wait}: follow the operation a verb started until it ends. */
public final class WaitOption {

  @Option(
      names = "--wait",
      description = "Follow the operation's progress until it ends; exit 1 if it fails.")
  boolean wait;

  public boolean requested() {
    return wait;
  }

  /**
   * Streams the operation's events (to stdout for tables, to stderr when stdout carries JSON).
   *
   * @param onFailure what the user can do if it fails, appended to the error
   * @throws OperationFailedException if the operation ends FAILED
   */
  public void await(ConnectionOptions connection, String operationId, String onFailure) {
    PrintWriter progressOut = connection.json() ? connection.err() : connection.out();
    boolean terminal = connection.interactive() && !connection.json();
    Outcome outcome =
        new OperationFollower(connection.client(), ProgressPrinter.of(progressOut, terminal))
            .follow(operationId);
    if (!outcome.succeeded()) {
      String error = outcome.error() == null ? "no reason given" : outcome.error();
      throw new OperationFailedException(
          "operation " + operationId + " failed: " + error + onFailure);
    }
    progressOut.println("operation " + operationId + " succeeded");
    progressOut.flush();
  }
}
