package dev.conductor.cli.operations;

import java.io.PrintWriter;

/** Shows an operation's events as they arrive. */
interface ProgressPrinter {

  void event(OperationEvent event);

  void notice(String message);

  void finish();

  static ProgressPrinter of(PrintWriter out, boolean terminal) {
    return terminal ? new TerminalProgress(out) : new PlainProgress(out);
  }
}
