package dev.conductor.tenant;

import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.notification.DatabaseNotifications.Channel;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.UUID;

/**
 * API key hash → tenant, so a known key authenticates without a query. Bounded (least recently used
 * goes first) and short-lived as a safety net; correctness rests on eviction: every replica evicts
 * a tenant when the database announces a change of its key or status ({@link
 * Channel#TENANT_KEY_CHANGED}), and forgets everything while it cannot hear those announcements.
 *
 * <p>A lookup that read the database before a change may finish after its eviction: it takes a
 * {@link #generation()} before reading and {@link #put} refuses its result if any eviction came in
 * between.
 */
@Singleton
public class TenantKeyCache implements DatabaseNotifications.Subscriber {
  private record Entry(Tenant tenant, Instant expires) {}

  private final int size;
  private final KeyCacheSettings settings;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long generation;
  private boolean listening;

  @Inject
  TenantKeyCache(KeyCacheSettings settings, Clock clock, DatabaseNotifications notifications) {
    this(settings, clock);
    notifications.subscribe(Channel.TENANT_KEY_CHANGED, this);
  }

  /** A cache that has not heard from the listener yet fills nothing until {@link #listening()}. */
  TenantKeyCache(KeyCacheSettings settings, Clock clock) {
    this.size = settings.size();
    this.settings = settings;
    this.clock = clock;
  }

  /** The tenant holding this key hash, if remembered and not expired. */
  @Nullable
  public synchronized Tenant get(String keyHash) {
    Entry entry = entries.get(keyHash);
    if (entry == null) {
      return null;
    }
    if (!clock.instant().isBefore(entry.expires())) {
      entries.remove(keyHash);
      return null;
    }
    return entry.tenant();
  }

  /** Take before reading the database; hand to {@link #put} with what was read. */
  public synchronized long generation() {
    return generation;
  }

  /**
   * Remembers what a lookup read, unless an eviction came since {@code readAt} (the result may be
   * stale) or the listener is down (an eviction could go unheard).
   */
  public synchronized boolean put(String keyHash, Tenant tenant, long readAt) {
    if (readAt != generation || !listening || size == 0) {
      return false;
    }
    entries.put(keyHash, new Entry(tenant, clock.instant().plus(settings.ttl())));
    if (entries.size() > size) {
      var eldest = entries.keySet().iterator();
      eldest.next();
      eldest.remove();
    }
    return true;
  }

  /** Forgets every key of the tenant. */
  public synchronized void evict(UUID tenantId) {
    generation++;
    entries.values().removeIf(entry -> entry.tenant().id().equals(tenantId));
  }

  /** How many key hashes are remembered; for tests and diagnostics. */
  public synchronized int size() {
    return entries.size();
  }

  /** Payload {@code <tenant id>:<txid>}; anything unreadable clears it all, to be safe. */
  @Override
  public void heard(String payload) {
    int colon = payload.indexOf(':');
    UUID tenantId;
    try {
      tenantId = UUID.fromString(colon < 0 ? payload : payload.substring(0, colon));
    } catch (IllegalArgumentException e) {
      clear(listeningNow());
      return;
    }
    evict(tenantId);
  }

  @Override
  public void lost() {
    clear(false);
  }

  @Override
  public void listening() {
    clear(true);
  }

  private synchronized boolean listeningNow() {
    return listening;
  }

  private synchronized void clear(boolean nowListening) {
    generation++;
    entries.clear();
    listening = nowListening;
  }
}
