package dev.conductor.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * How a worker ended, for runtimes that can tell: what {@link WorkerRuntime#onExit} may complete
 * with, and what a worker that ended unexpectedly records as its reason. {@code reason} is the
 * runtime's word beyond the exit code ({@code Evicted: ...}, {@code ImagePullBackOff: ...}); empty
 * when there is none. An exit code below 0 is unknown.
 */
public record WorkerExit(long exitCode, boolean oomKilled, String reason) {

  public WorkerExit(long exitCode, boolean oomKilled) {
    this(exitCode, oomKilled, "");
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    if (exitCode >= 0 || reason.isEmpty()) {
      parts.add("exit code " + exitCode);
    }
    if (oomKilled) {
      parts.add("OOMKilled");
    }
    if (!reason.isEmpty()) {
      parts.add(reason);
    }
    return String.join(", ", parts);
  }
}
