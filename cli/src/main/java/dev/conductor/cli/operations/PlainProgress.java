package dev.conductor.cli.operations;

import java.io.PrintWriter;

/** One line per event, for pipes, logs and CI. */
final class PlainProgress implements ProgressPrinter {

  private final PrintWriter out;

  PlainProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void event(OperationEvent event) {
    out.println(event.line());
    out.flush();
  }

  @Override
  public void notice(String message) {
    out.println(message);
    out.flush();
  }

  @Override
  public void finish() {
    out.flush();
  }
}
