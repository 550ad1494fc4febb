package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusProvider;
import dev.conductor.messaging.time.Backoff;

/** Opens the worker's connection to the bus; a seam for tests. */
@FunctionalInterface
public interface BusConnector {
  MessageBus connect(WorkerSettings settings);

  /**
   * The adapter of {@code kind} that this worker's class path carries: each bus has its own worker
   * jar, so a kind whose adapter is missing is bad configuration, named in one line.
   *
   * @throws InvalidConfigurationException naming the module and the jar that hold the adapter
   */
  static BusConnector forKind(String kind) {
    MessageBusProvider provider =
        MessageBusProvider.find(kind)
            .orElseThrow(
                () ->
                    new InvalidConfigurationException(
                        "%s is '%s' but %s is not on this worker's class path: run %s"
                            .formatted(
                                WorkerSettings.BUS_KIND,
                                kind,
                                MessageBusProvider.module(kind),
                                workerJar(kind))));
    return settings -> provider.connect(settings.busAccess());
  }

  /** The shaded worker jar built for a bus: the embedded default's is the plain name. */
  static String workerJar(String kind) {
    return kind.equals(WorkerSettings.BUS_KINDS.get(0))
        ? "conductor-worker.jar"
        : "conductor-worker-" + kind + ".jar";
  }

  /**
   * Retries transient connection failures for up to {@code patience}: a worker may start while its
   * conductor's broker restarts. Refused credentials and other permanent errors fail at once.
   */
  static BusConnector retrying(BusConnector connector, java.time.Duration patience) {
    Backoff reconnect =
        new Backoff(java.time.Duration.ofMillis(100), java.time.Duration.ofSeconds(2));
    return settings -> {
      long deadline = System.nanoTime() + patience.toNanos();
      for (int failures = 1; ; failures++) {
        try {
          return connector.connect(settings);
        } catch (dev.conductor.messaging.BusException e) {
          java.time.Duration wait = reconnect.after(failures);
          if (!e.isTransient() || System.nanoTime() + wait.toNanos() > deadline) {
            throw e;
          }
          try {
            Thread.sleep(wait.toMillis());
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
        }
      }
    };
  }
}
