package dev.conductor.worker;

import dev.conductor.messaging.protocol.Envelope;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Sends a heartbeat with the in-flight count every interval, so the conductor sees us alive. */
final class Heartbeats implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Heartbeats.class);

  private final ControlQueue control;
  private final String tenant;
  private final String workerId;
  private final Duration interval;
  private final IntSupplier inFlight;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "worker-heartbeat");
            thread.setDaemon(true);
            return thread;
          });
  private int failures;

  Heartbeats(
      ControlQueue control,
      String tenant,
      String workerId,
      Duration interval,
      IntSupplier inFlight) {
    this.control = control;
    this.tenant = tenant;
    this.workerId = workerId;
    this.interval = interval;
    this.inFlight = inFlight;
  }

  void start() {
    long millis = interval.toMillis();
    timer.scheduleAtFixedRate(this::beat, millis, millis, TimeUnit.MILLISECONDS);
  }

  private void beat() {
    try {
      control.send(Envelope.heartbeat(tenant, workerId, inFlight.getAsInt()));
      if (failures > 0) {
        LOG.info("heartbeats resumed workerId={} missed={}", workerId, failures);
      }
      failures = 0;
    } catch (RuntimeException e) {
      // Warn once per outage: the bus client reconnects on its own.
      if (failures++ == 0) {
        LOG.warn("heartbeat failed workerId={}", workerId, e);
      }
    }
  }

  /** Lets a heartbeat being sent finish, so its bus session is not cut mid-call. */
  @Override
  public void close() {
    timer.shutdown();
    try {
      timer.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
