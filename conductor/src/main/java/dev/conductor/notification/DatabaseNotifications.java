package dev.conductor.notification;

import dev.conductor.messaging.time.Backoff;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hears what any conductor replica changes: one connection per conductor LISTENs on every {@link
 * Channel} (raised by triggers, see the migrations) and completes the futures waiting for that
 * channel and key. Waiting costs a future, not a thread. After a lost connection every waiter is
 * woken to look again, since notifications may have gone unheard.
 */
@Context
public class DatabaseNotifications {
  private static final Logger LOG = LoggerFactory.getLogger(DatabaseNotifications.class);

  /** The connection's application_name, so operators (and tests) can tell it apart. */
  public static final String APPLICATION_NAME = "conductor-notifications";

  private static final Backoff RECONNECT =
      new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30));

  /** The channels the schema's triggers notify on; each payload is the key waiters wait for. */
  public enum Channel {
    /** A job ended; payload: its id. */
    JOB_ENDED("job_ended"),
    /** An operation wrote an event or changed status; payload: its id. */
    OPERATION_CHANGED("operation_changed"),
    /**
     * A tenant's key hash, status, plan or name changed; payload: {@code <tenant id>:<txid>}. Each
     * listener acknowledges it on {@link #TENANT_KEY_EVICTED} once its subscribers have run.
     */
    TENANT_KEY_CHANGED("tenant_key_changed"),
    /** A replica has evicted a key change; payload: {@code <tenant id>:<txid>@<listener pid>}. */
    TENANT_KEY_EVICTED("tenant_key_evicted");

    private final String name;

    Channel(String name) {
      this.name = name;
    }

    /** The channel on which a listener confirms that its subscribers handled a notification. */
    @Nullable
    private Channel acknowledgedOn() {
      return this == TENANT_KEY_CHANGED ? TENANT_KEY_EVICTED : null;
    }

    @Nullable
    private static Channel named(String name) {
      for (Channel channel : values()) {
        if (channel.name.equals(name)) {
          return channel;
        }
      }
      return null;
    }
  }

  private record Topic(Channel channel, String key) {}

  /**
   * Hears every notification on a channel, on the listening thread (keep it short and
   * non-blocking), and whether the listener can be trusted to have heard them all.
   */
  public interface Subscriber {
    void heard(String payload);

    /** The connection is lost: notifications go unheard until {@link #listening()}. */
    void lost();

    /** LISTEN is in place again (or for the first time); anything before may have been missed. */
    void listening();
  }

  private final String url;
  private final String user;
  private final String password;
  private final Map<Topic, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
  private final Map<Channel, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean running = true;
  @Nullable private volatile Connection connection;
  private volatile boolean listeningNow;

  DatabaseNotifications(@Named("default") DatasourceConfiguration datasource) {
    this.url = datasource.getUrl();
    this.user = Objects.requireNonNullElse(datasource.getUsername(), "");
    this.password = Objects.requireNonNullElse(datasource.getPassword(), "");
    this.thread = new Thread(this::listen, "database-notifications");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Completes on the next notification on {@code channel} with this key (or after a reconnect, when
   * one may have been missed); cancel it to stop waiting. Completion runs on the listening thread:
   * continue elsewhere before blocking.
   */
  public CompletableFuture<Void> next(Channel channel, String key) {
    Topic topic = new Topic(channel, key);
    CompletableFuture<Void> next = new CompletableFuture<>();
    waiters.compute(
        topic,
        (t, set) -> {
          Set<CompletableFuture<Void>> futures = set == null ? ConcurrentHashMap.newKeySet() : set;
          futures.add(next);
          return futures;
        });
    next.whenComplete((ignored, error) -> forget(topic, next));
    return next;
  }

  /**
   * Calls the subscriber for every notification on the channel from now on. It is told at once
   * whether the listener is listening, and again on every loss and reconnect.
   */
  public void subscribe(Channel channel, Subscriber subscriber) {
    synchronized (subscribers) {
      subscribers.computeIfAbsent(channel, c -> ConcurrentHashMap.newKeySet()).add(subscriber);
      if (listeningNow) {
        subscriber.listening();
      } else {
        subscriber.lost();
      }
    }
  }

  /** How many channel keys have someone waiting; for tests and diagnostics. */
  public int watched(Channel channel) {
    return (int) waiters.keySet().stream().filter(topic -> topic.channel() == channel).count();
  }

  private void forget(Topic topic, CompletableFuture<Void> next) {
    waiters.computeIfPresent(
        topic,
        (t, set) -> {
          set.remove(next);
          return set.isEmpty() ? null : set;
        });
  }

  private void wake(Topic topic) {
    Set<CompletableFuture<Void>> futures = waiters.remove(topic);
    if (futures != null) {
      futures.forEach(future -> future.complete(null));
    }
  }

  private void wakeAll() {
    waiters.keySet().forEach(this::wake);
  }

  private void listen() {
    int failures = 0;
    while (running) {
      try (Connection listening = DriverManager.getConnection(url, connectionProperties())) {
        connection = listening;
        try (Statement statement = listening.createStatement()) {
          for (Channel channel : Channel.values()) {
            statement.execute("LISTEN " + channel.name);
          }
        }
        // Notifications may have been raised while nobody listened.
        listeningNow(true);
        wakeAll();
        if (failures > 0) {
          LOG.info("database notification listener connected again");
          failures = 0;
        }
        PGConnection pg = listening.unwrap(PGConnection.class);
        while (running) {
          PGNotification[] notifications = pg.getNotifications(1000);
          if (notifications != null) {
            for (PGNotification notification : notifications) {
              Channel channel = Channel.named(notification.getName());
              if (channel != null) {
                String payload = notification.getParameter();
                subscribers
                    .getOrDefault(channel, Set.of())
                    .forEach(subscriber -> subscriber.heard(payload));
                acknowledge(listening, channel, payload, pg.getBackendPID());
                wake(new Topic(channel, payload));
              }
            }
          }
        }
      } catch (SQLException | RuntimeException e) {
        listeningNow(false);
        if (!running) {
          return;
        }
        if (failures++ == 0) {
          LOG.warn("database notification listener lost its connection, retrying", e);
        }
        wakeAll();
        pause(RECONNECT.after(failures));
      }
    }
  }

  /** Under the subscribers' lock, so a new subscriber never misses a transition. */
  private void listeningNow(boolean now) {
    synchronized (subscribers) {
      listeningNow = now;
      subscribers
          .values()
          .forEach(set -> set.forEach(now ? Subscriber::listening : Subscriber::lost));
    }
  }

  /** Tells every replica (the writer among them) that this one's subscribers have run. */
  private static void acknowledge(Connection listening, Channel channel, String payload, int pid)
      throws SQLException {
    Channel ack = channel.acknowledgedOn();
    if (ack == null) {
      return;
    }
    try (var statement = listening.prepareStatement("SELECT pg_notify(?, ?)")) {
      statement.setString(1, ack.name);
      statement.setString(2, payload + "@" + pid);
      statement.execute();
    }
  }

  /** User and password only where set, so credentials in the URL itself still count. */
  private Properties connectionProperties() {
    Properties properties = new Properties();
    properties.setProperty("ApplicationName", APPLICATION_NAME);
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
