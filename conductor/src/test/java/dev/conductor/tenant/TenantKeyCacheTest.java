package dev.conductor.tenant;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 1, unit = TimeUnit.MINUTES)
class TenantKeyCacheTest {
  private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");
  private static final KeyCacheSettings SETTINGS =
      new KeyCacheSettings(2, Duration.ofSeconds(60), Duration.ofSeconds(5));

  private final MutableClock clock = new MutableClock();
  private final TenantKeyCache cache = new TenantKeyCache(SETTINGS, clock);

  @Test
  void aLookupThatReadBeforeAnEvictionDoesNotFillAfterIt() {
    cache.listening();
    Tenant ready = tenant(TenantStatus.READY);
    long readAt = cache.generation();
    // The suspend commits and its notification evicts while the lookup's row is in flight.
    cache.heard(ready.id() + ":1234");
    assertThat(cache.put("hash", ready, readAt)).isFalse();
    assertThat(cache.get("hash")).isNull();

    long afterwards = cache.generation();
    assertThat(cache.put("hash", ready.withStatus(TenantStatus.SUSPENDED, null, NOW), afterwards))
        .isTrue();
    assertThat(cache.get("hash").status()).isEqualTo(TenantStatus.SUSPENDED);
  }

  @Test
  void aChangeEvictsEveryKeyOfThatTenantOnly() {
    cache.listening();
    Tenant one = tenant(TenantStatus.READY);
    Tenant other = tenant(TenantStatus.READY);
    cache.put("one", one, cache.generation());
    cache.put("other", other, cache.generation());
    cache.heard(one.id() + ":99");
    assertThat(cache.get("one")).isNull();
    assertThat(cache.get("other")).isEqualTo(other);
  }

  @Test
  void nothingIsRememberedWhileTheListenerIsDownAndALossForgetsEverything() {
    Tenant ready = tenant(TenantStatus.READY);
    assertThat(cache.put("hash", ready, cache.generation())).as("before listening").isFalse();
    cache.listening();
    assertThat(cache.put("hash", ready, cache.generation())).isTrue();
    long readAt = cache.generation();
    cache.lost();
    assertThat(cache.get("hash")).isNull();
    assertThat(cache.put("hash", ready, cache.generation())).as("while lost").isFalse();
    cache.listening();
    assertThat(cache.put("hash", ready, readAt)).as("read before the loss").isFalse();
  }

  @Test
  void entriesExpireAndTheLeastRecentlyUsedGoesFirst() {
    cache.listening();
    Tenant a = tenant(TenantStatus.READY);
    Tenant b = tenant(TenantStatus.READY);
    Tenant c = tenant(TenantStatus.READY);
    cache.put("a", a, cache.generation());
    cache.put("b", b, cache.generation());
    cache.get("a");
    cache.put("c", c, cache.generation());
    assertThat(cache.get("b")).isNull();
    assertThat(cache.get("a")).isEqualTo(a);
    clock.now = NOW.plus(Duration.ofSeconds(60));
    assertThat(cache.get("a")).isNull();
    assertThat(cache.get("c")).isNull();
  }

  @Test
  void anUnreadablePayloadForgetsEverything() {
    cache.listening();
    cache.put("hash", tenant(TenantStatus.READY), cache.generation());
    cache.heard("not-a-tenant");
    assertThat(cache.size()).isZero();
    assertThat(cache.put("hash", tenant(TenantStatus.READY), cache.generation())).isTrue();
  }

  private static Tenant tenant(TenantStatus status) {
    return new Tenant(UUID.randomUUID(), "t", "dev", status, "hash", "cred", null, NOW, NOW);
  }

  private static final class MutableClock extends Clock {
    private Instant now = NOW;

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
