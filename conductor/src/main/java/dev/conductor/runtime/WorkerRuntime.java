package dev.conductor.runtime;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where worker containers run: child processes here, Docker, a cloud container service. The
 * conductor keeps the truth in PostgreSQL; {@link #list()} tells the reconciler what really runs.
 */
public interface WorkerRuntime {

  /** Starts the worker and returns a reference to find it again (a pid, a container id). */
  String start(WorkerLaunch launch);

  /** Asks the worker to stop (SIGTERM or equivalent) and kills it after {@code grace}. */
  void stop(String runtimeRef, Duration grace);

  /**
   * Completes when the worker behind the reference has ended. A runtime that cannot tell returns a
   * future that never completes; the reconciler notices the exit through {@link #list()}.
   */
  default CompletableFuture<?> onExit(String runtimeRef) {
    return new CompletableFuture<>();
  }

  /** Whether the worker behind the reference still runs. */
  boolean isRunning(String runtimeRef);

  /** Every worker this runtime runs for this conductor: worker id → runtime reference. */
  Map<UUID, String> list();
}
