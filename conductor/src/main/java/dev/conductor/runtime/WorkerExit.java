package dev.conductor.runtime;

/**
 * How a worker ended, for runtimes that can tell: what {@link WorkerRuntime#onExit} may complete
 * with, and what a worker that ended unexpectedly records as its reason.
 */
public record WorkerExit(long exitCode, boolean oomKilled) {
  @Override
  public String toString() {
    return "exit code " + exitCode + (oomKilled ? ", OOMKilled" : "");
  }
}
