package dev.conductor.cli;

import java.io.PrintWriter;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --yes}: a verb that destroys or revokes something asks first when a person runs it at a
 * terminal; scripts (no terminal) and {@code --yes} go ahead without a question.
 */
public final class ConfirmOption {

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation on a terminal.")
  boolean yes;

  /**
   * Asks {@code question} on stderr and returns if the answer is yes.
   *
   * @throws DeclinedException on any other answer or the end of input: nothing was sent
   */
  public void confirm(ConnectionOptions connection, String question) {
    if (yes || !connection.interactive()) {
      return;
    }
    PrintWriter err = connection.err();
    err.print(question + " [y/N] ");
    err.flush();
    String answer = connection.cli().readLine();
    String word = answer == null ? "" : answer.trim().toLowerCase(Locale.ROOT);
    if (!word.equals("y") && !word.equals("yes")) {
      throw new DeclinedException("not confirmed; nothing changed (--yes skips the question)");
    }
  }
}
