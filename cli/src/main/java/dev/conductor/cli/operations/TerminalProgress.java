package dev.conductor.cli.operations;

import java.io.PrintWriter;

/** A single updating line for INFO steps; warnings, errors and notices stay on screen. */
final class TerminalProgress implements ProgressPrinter {

  private static final String CLEAR_LINE = "\r\033[K";

  private final PrintWriter out;
  private boolean lineOpen;

  TerminalProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void event(OperationEvent event) {
    if (event.isInfo()) {
      out.print(CLEAR_LINE + "... " + event.message());
      lineOpen = true;
    } else {
      keep(event.level() + " " + event.message());
    }
    out.flush();
  }

  @Override
  public void notice(String message) {
    keep(message);
    out.flush();
  }

  @Override
  public void finish() {
    if (lineOpen) {
      out.println();
      lineOpen = false;
    }
    out.flush();
  }

  private void keep(String line) {
    out.println(CLEAR_LINE + line);
    lineOpen = false;
  }
}
