package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;

/**
 * How a worker ended, for runtimes that can tell: what {@link WorkerRuntime#onExit} may complete
 * with, and what a worker that ended unexpectedly records as its reason. {@code reason}, where set,
 * is the runtime's own word for the end (a Container Apps execution's status), which has no exit
 * code.
 */
public record WorkerExit(long exitCode, boolean oomKilled, @Nullable String reason) {
  public WorkerExit(long exitCode, boolean oomKilled) {
    this(exitCode, oomKilled, null);
  }

  @Override
  public String toString() {
    if (reason != null) {
      return reason;
    }
    return "exit code " + exitCode + (oomKilled ? ", OOMKilled" : "");
  }
}
