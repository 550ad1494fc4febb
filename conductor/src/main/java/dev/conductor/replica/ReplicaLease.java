package dev.conductor.replica;

import dev.conductor.PeriodicPass;
import io.micronaut.scheduling.annotation.Scheduled;
import jakarta.annotation.PostConstruct;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This conductor process as one replica among those sharing the database: a random id per start and
 * a row in {@code replicas} whose lease it renews every {@code conductor.replica.heartbeat-
 * interval}. The others judge its workers by this lease alone; once it runs out they adopt them.
 */
@Singleton
public class ReplicaLease extends PeriodicPass {
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLease.class);

  private final UUID id = UUID.randomUUID();
  private final String host = host();
  private final ReplicaRepository replicas;
  private final ReplicaSettings settings;
  // System.nanoTime() before the last renewal that committed; 0: none yet.
  private volatile long renewedAt;

  ReplicaLease(ReplicaRepository replicas, ReplicaSettings settings) {
    this.replicas = replicas;
    this.settings = settings;
  }

  /** This replica's id, recorded on the workers it launches. */
  public UUID id() {
    return id;
  }

  /**
   * Whether this replica's lease is surely still valid: renewed less than a lease ago (by its own
   * clock, counted from before the renewal was sent). A replica that lost it judges no worker.
   */
  public boolean held() {
    long at = renewedAt;
    return at != 0 && System.nanoTime() - at < settings.lease().toNanos();
  }

  @PostConstruct
  void register() {
    pass();
    LOG.info("replica registered replica={} host={} lease={}", id, host, settings.lease());
  }

  @Scheduled(
      fixedDelay = "${conductor.replica.heartbeat-interval}",
      initialDelay = "${conductor.replica.heartbeat-interval}")
  void tick() {
    runOnce();
  }

  @Override
  protected void pass() {
    long before = System.nanoTime();
    replicas.renew(id, host, settings.lease().toMillis());
    renewedAt = before;
    // Rows of replicas long gone whose workers were all adopted: nothing refers to them any more.
    replicas.forgetExpired(settings.lease().toMillis());
  }

  /** The conductor stops: no more renewals, and the others may adopt what is left at once. */
  public void release() {
    stop();
    renewedAt = 0;
    replicas.release(id);
    LOG.info("replica released replica={}", id);
  }

  private static String host() {
    String pid = Long.toString(ProcessHandle.current().pid());
    try {
      return InetAddress.getLocalHost().getHostName() + "/" + pid;
    } catch (UnknownHostException e) {
      return "unknown/" + pid;
    }
  }
}
