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
   * @throws OperationFailedException if the operation ends FAILED or CANCELLED
   */
  public void await(ConnectionOptions connection, String operationId, String onFailure) {
    report(connection, operationId, follow(connection, operationId), onFailure);
  }

  /**
   * Says how a followed operation ended.
   *
   * @throws OperationFailedException if it ended FAILED or CANCELLED
   */
  static void report(
      ConnectionOptions connection, String operationId, Outcome outcome, String onFailure) {
    if (!outcome.succeeded()) {
      String error = outcome.error() == null ? "no reason given" : outcome.error();
      String ended = outcome.cancelled() ? " was cancelled: " : " failed: ";
      throw new OperationFailedException("operation " + operationId + ended + error + onFailure);
    }
    progressOut(connection).println("operation " + operationId + " succeeded");
    progressOut(connection).flush();
  }

  /** Streams the operation's events until it ends, however it ends. */
  public Outcome follow(ConnectionOptions connection, String operationId) {
    boolean terminal = connection.interactive() && !connection.structured();
    return new OperationFollower(
            connection.client(), ProgressPrinter.of(progressOut(connection), terminal))
        .follow(operationId);
  }

  public static PrintWriter progressOut(ConnectionOptions connection) {
    return connection.structured() ? connection.err() : connection.out();
  }
}
