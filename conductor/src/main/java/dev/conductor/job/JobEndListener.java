package dev.conductor.job;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears jobs end: one connection per conductor LISTENs on {@code job_ended} (raised by a trigger
 * when any replica ends a job) and completes the futures waiting for that job. Waiting costs a
 * future, not a thread. After a lost connection every waiter is woken to look again, since ends may
 * have gone unheard.
 */
@Context
public class JobEndListener {
  private static final Logger LOG = LoggerFactory.getLogger(JobEndListener.class);
  static final String CHANNEL = "job_ended";
  private static final Duration MIN_BACKOFF = Duration.ofSeconds(1);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final String url;
  private final String user;
  private final String password;
  private final Map<UUID, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  JobEndListener(
      @Value("${datasources.default.url}") String url,
      @Value("${datasources.default.username:}") String user,
      @Value("${datasources.default.password:}") String password) {
    this.url = url;
    this.user = user;
    this.password = password;
    this.thread = new Thread(this::listen, "job-end-listener");
    thread.setDaemon(true);
    thread.start();
  }

  /** Completes when the job ends (or may have: after a reconnect); cancel it to stop waiting. */
  CompletableFuture<Void> next(UUID jobId) {
    CompletableFuture<Void> end = new CompletableFuture<>();
    waiters.compute(
        jobId,
        (id, set) -> {
          Set<CompletableFuture<Void>> futures = set == null ? ConcurrentHashMap.newKeySet() : set;
          futures.add(end);
          return futures;
        });
    end.whenComplete((ignored, error) -> forget(jobId, end));
    return end;
  }

  /** How many jobs have someone waiting; for tests and diagnostics. */
  int watchedJobs() {
    return waiters.size();
  }

  private void forget(UUID jobId, CompletableFuture<Void> end) {
    waiters.computeIfPresent(
        jobId,
        (id, set) -> {
          set.remove(end);
          return set.isEmpty() ? null : set;
        });
  }

  private void wake(UUID jobId) {
    Set<CompletableFuture<Void>> futures = waiters.remove(jobId);
    if (futures != null) {
      futures.forEach(future -> future.complete(null));
    }
  }

  private void wakeAll() {
    waiters.keySet().forEach(this::wake);
  }

  private void listen() {
    Duration backoff = MIN_BACKOFF;
    while (running) {
      try (Connection listening = DriverManager.getConnection(url, credentials())) {
        connection = listening;
        try (Statement statement = listening.createStatement()) {
          statement.execute("LISTEN " + CHANNEL);
        }
        // Jobs may have ended while nobody listened.
        wakeAll();
        if (!backoff.equals(MIN_BACKOFF)) {
          LOG.info("job end listener connected again");
          backoff = MIN_BACKOFF;
        }
        PGConnection pg = listening.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              wake(UUID.fromString(notification.getParameter()));
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        if (!running) {
          return;
        }
        if (backoff.equals(MIN_BACKOFF)) {
          LOG.warn("job end listener lost its connection, retrying error={}", e.getMessage());
        }
        wakeAll();
        pause(backoff);
        backoff = Collections.min(List.of(backoff.multipliedBy(2), MAX_BACKOFF));
      }
    }
  }

  /** User and password only where set, so credentials in the URL itself still count. */
  private Properties credentials() {
    Properties properties = new Properties();
    if (!user.isEmpty()) {
      properties.setProperty("user", user);
    }
    if (!password.isEmpty()) {
      properties.setProperty("password", password);
    }
    return properties;
  }

  private void pause(Duration backoff) {
    try {
      Thread.sleep(backoff.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @PreDestroy
  void stop() {
    running = false;
    Connection listening = connection;
    if (listening != null) {
      try {
        listening.close();
      } catch (SQLException e) {
        // closing is all we wanted
      }
    }
    thread.interrupt();
    wakeAll();
  }
}
