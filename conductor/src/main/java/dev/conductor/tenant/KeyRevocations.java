package dev.conductor.tenant;

import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.notification.DatabaseNotifications.Channel;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a change that may refuse an API key (new hash, suspend, delete) take effect on every
 * replica before its answer: the writer notes which replicas listen when it changes the row, and
 * after the commit waits until each has acknowledged evicting it ({@link
 * Channel#TENANT_KEY_EVICTED}) or has stopped listening (its cache is then cleared and unused).
 */
@Singleton
public class KeyRevocations implements DatabaseNotifications.Subscriber {
  private static final Logger LOG = LoggerFactory.getLogger(KeyRevocations.class);

  /** How often a waiting writer looks for replicas that stopped listening. */
  private static final Duration RECHECK = Duration.ofMillis(200);

  /** Acknowledgements older than this are swept: nobody waits that long. */
  private static final Duration KEEP_ACKS = Duration.ofMinutes(2);

  /** A committed change's identity ({@code <tenant id>:<txid>}) and who must acknowledge it. */
  public record Pending(String change, Set<Integer> listeners) {}

  private record Acks(Instant first, Set<Integer> listeners) {}

  private final TransactionOperations<Connection> tx;
  private final Duration confirmWithin;
  private final Clock clock;
  private final Map<String, Acks> acks = new ConcurrentHashMap<>();

  KeyRevocations(
      TransactionOperations<Connection> tx,
      KeyCacheSettings settings,
      Clock clock,
      DatabaseNotifications notifications) {
    this.tx = tx;
    this.confirmWithin = settings.confirmWithin();
    this.clock = clock;
    notifications.subscribe(Channel.TENANT_KEY_EVICTED, this);
  }

  /** Whether the change fires the tenants_key_changed trigger (migration V12); keep them alike. */
  static boolean decidesAuthentication(Tenant before, Tenant after) {
    return !Objects.equals(before.apiKeyHash(), after.apiKeyHash())
        || before.status() != after.status()
        || !before.plan().equals(after.plan())
        || !before.name().equals(after.name());
  }

  /**
   * In the changing transaction, after the update: the change to confirm after the commit, or null
   * when the update changed nothing that authentication depends on.
   */
  @Nullable
  public Pending begin(Connection connection, Tenant before, Tenant after) {
    if (!decidesAuthentication(before, after)) {
      return null;
    }
    try (PreparedStatement query =
        connection.prepareStatement("SELECT txid_current(), array(" + LISTENERS + ")::integer[]")) {
      query.setString(1, DatabaseNotifications.APPLICATION_NAME);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return new Pending(after.id() + ":" + row.getLong(1), pids(row.getArray(2)));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the key change's listeners", e);
    }
  }

  private static final String LISTENERS =
      "SELECT pid FROM pg_stat_activity WHERE application_name = ? AND datname = current_database()";

  /**
   * After the commit: returns once every replica that listened has evicted the change or stopped
   * listening, or after {@code conductor.auth.key-cache.confirm-within} (then the cache's TTL is
   * what bounds a replica that neither confirmed nor disconnected).
   */
  public void confirm(@Nullable Pending pending) {
    if (pending == null) {
      return;
    }
    Instant deadline = clock.instant().plus(confirmWithin);
    Set<Integer> waitingFor = new HashSet<>(pending.listeners());
    Instant recheck = Instant.MIN;
    while (true) {
      Acks heard = acks.get(pending.change());
      if (heard != null) {
        waitingFor.removeAll(heard.listeners());
      }
      Instant now = clock.instant();
      if (!waitingFor.isEmpty() && !now.isBefore(recheck)) {
        waitingFor.retainAll(listeners());
        recheck = now.plus(RECHECK);
      }
      if (waitingFor.isEmpty()) {
        return;
      }
      if (!now.isBefore(deadline)) {
        LOG.warn(
            "{} conductor replica(s) did not confirm evicting a key change within {}; their key"
                + " caches may serve it until the cache TTL",
            waitingFor.size(),
            confirmWithin);
        return;
      }
      synchronized (this) {
        try {
          wait(RECHECK.toMillis() / 4);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Set<Integer> listeners() {
    return tx.executeRead(status -> listeners(status.getConnection()));
  }

  private static Set<Integer> listeners(Connection connection) {
    try (PreparedStatement query = connection.prepareStatement(LISTENERS)) {
      query.setString(1, DatabaseNotifications.APPLICATION_NAME);
      Set<Integer> pids = new HashSet<>();
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          pids.add(rows.getInt(1));
        }
      }
      return pids;
    } catch (SQLException e) {
      throw new IllegalStateException("could not read the conductor replicas' listeners", e);
    }
  }

  private static Set<Integer> pids(Array array) throws SQLException {
    Set<Integer> pids = new HashSet<>();
    for (Object pid : (Object[]) array.getArray()) {
      pids.add(((Number) pid).intValue());
    }
    return pids;
  }

  /** Payload {@code <tenant id>:<txid>@<listener pid>}. */
  @Override
  public void heard(String payload) {
    int at = payload.lastIndexOf('@');
    if (at < 0) {
      return;
    }
    int pid;
    try {
      pid = Integer.parseInt(payload.substring(at + 1));
    } catch (NumberFormatException e) {
      return;
    }
    Instant now = clock.instant();
    acks.computeIfAbsent(
            payload.substring(0, at), change -> new Acks(now, ConcurrentHashMap.newKeySet()))
        .listeners()
        .add(pid);
    acks.values().removeIf(ack -> ack.first().plus(KEEP_ACKS).isBefore(now));
    synchronized (this) {
      notifyAll();
    }
  }

  @Override
  public void lost() {
    // Acknowledgements this replica misses are made up for by the writer's recheck of listeners.
  }

  @Override
  public void listening() {}
}
