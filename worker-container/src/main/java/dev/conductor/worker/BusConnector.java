package dev.conductor.worker;

import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.MessageBusProvider;

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
    return settings -> {
      long deadline = System.nanoTime() + patience.toNanos();
      long backoffMs = 100;
      while (true) {
        try {
          return connector.connect(settings);
        } catch (dev.conductor.messaging.BusException e) {
          if (!e.isTransient() || System.nanoTime() + backoffMs * 1_000_000 > deadline) {
            throw e;
          }
          try {
            Thread.sleep(backoffMs);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw e;
          }
          backoffMs = Math.min(backoffMs * 2, 2_000);
        }
      }
    };
  }
}
