package dev.conductor.fleet;

import dev.conductor.health.DatabaseFailures;
import dev.conductor.messaging.time.Backoff;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When this conductor last got its database back after it could not record worker reports (calls
 * that failed for want of a connection, or hung), so that silence meanwhile is not blamed on
 * workers: their heartbeats kept coming, they just could not be written down.
 */
@Singleton
public class DatabaseOutages {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutages.class);

  // At most a second: well under any heartbeat timeout, so heartbeats are recorded soon after.
  private static final Backoff RETRY = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1));

  private final Duration stall;
  private final Clock clock;
  private volatile boolean down;
  private volatile Instant recoveredAt = Instant.EPOCH;

  DatabaseOutages(FleetSettings settings, Clock clock) {
    // Slower than one heartbeat interval: at least one heartbeat could not be recorded in time.
    this.stall = settings.heartbeatInterval();
    this.clock = clock;
  }

  /** Runs a database read, noting a stall if it was slow (see {@link #succeeded}). */
  public <T> T timed(Supplier<T> read) {
    Instant start = clock.instant();
    T result = read.get();
    succeeded(start);
    return result;
  }

  /** A database call that started at {@code start} has just succeeded. */
  public void succeeded(Instant start) {
    Instant end = clock.instant();
    if (down || Duration.between(start, end).compareTo(stall) > 0) {
      recoveredAt = end;
      if (down) {
        LOG.info("database reachable again; worker heartbeat deadlines restart now");
      } else {
        LOG.info(
            "database stalled for {} ms; worker heartbeat deadlines restart now",
            Duration.between(start, end).toMillis());
      }
      down = false;
    }
  }

  /** Notes the failure if it is an outage of the database; returns whether it is one. */
  public boolean failed(Throwable failure) {
    if (!DatabaseFailures.isOutage(failure)) {
      return false;
    }
    if (!down) {
      LOG.warn("database unreachable", failure);
    }
    down = true;
    return true;
  }

  /** The moment the database came back from the last outage or stall; the epoch if none yet. */
  public Instant recoveredAt() {
    return recoveredAt;
  }

  /**
   * Records what a worker sent, retrying in order while the database is down rather than giving it
   * back to the bus: an abandoned message burns its deliveries, and a dead-lettered result re-runs
   * its job. Other failures, and any once {@code stopping} says so, are thrown.
   */
  public void recordThrough(Runnable record, BooleanSupplier stopping) {
    int failures = 0;
    while (true) {
      Instant start = clock.instant();
      try {
        record.run();
        succeeded(start);
        return;
      } catch (RuntimeException e) {
        if (stopping.getAsBoolean() || !failed(e)) {
          throw e;
        }
      }
      try {
        Thread.sleep(RETRY.after(++failures).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the database was down", e);
      }
    }
  }
}
