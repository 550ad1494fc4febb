package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Where worker containers run: child processes here, Docker, a cloud container service. The
 * conductor keeps the truth in PostgreSQL; {@link #list()} tells the reconciler what really runs.
 * Each runtime is a bean named by its kind ({@code @Named("docker")}), which plans name; {@link
 * WorkerRuntimes} creates only the ones named.
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

  /**
   * The locations this runtime can start a worker in (a job naming another is refused at submit);
   * empty: it has one place, where every worker goes.
   */
  default Set<String> locations() {
    return Set.of();
  }

  /**
   * The address the launched worker's outbound traffic leaves from, where the runtime can tell (a
   * cloud's outbound addresses, or one configured per location); empty where it cannot. Asked once,
   * after the start; a failure leaves it unrecorded.
   */
  default Optional<String> egressAddress(WorkerLaunch launch) {
    return Optional.empty();
  }

  /** Whether the worker behind the reference still runs. */
  boolean isRunning(String runtimeRef);

  /** Every worker this runtime runs for this conductor: worker id → runtime reference. */
  Map<UUID, String> list();

  /**
   * The worker's output as the runtime holds it while it runs (its last {@code tail} lines; null:
   * all), if the runtime holds it apart from {@code <home>/workers/<id>.log}; empty when that file
   * is the log, as for processes, or the worker is gone (a runtime copies its output there then).
   * Where {@link #logOutlivesWorker()}, also asked after the worker ended. Throws {@link
   * WorkerLogUnavailableException} when it holds the log but cannot read it now.
   */
  default Optional<String> runningLog(String runtimeRef, @Nullable Integer tail) {
    return Optional.empty();
  }

  /**
   * Whether the runtime keeps a worker's output after it ended, where nothing copies it into {@code
   * <home>/workers/<id>.log} (a cloud log service): then {@link #runningLog} is the log of ended
   * workers too.
   */
  default boolean logOutlivesWorker() {
    return false;
  }
}
