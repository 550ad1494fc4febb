package dev.conductor.messaging.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class BackoffTest {
  private final Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void doublesFromTheFirstWaitUpToTheMax() {
    assertThat(backoff.after(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(backoff.after(2)).isEqualTo(Duration.ofMillis(200));
    assertThat(backoff.after(5)).isEqualTo(Duration.ofMillis(1600));
    assertThat(backoff.after(6)).isEqualTo(Duration.ofSeconds(2));
    assertThat(backoff.after(Integer.MAX_VALUE)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void noFailureNoWait() {
    assertThat(backoff.after(0)).isZero();
  }

  @Test
  void aHugeFirstWaitStillEndsAtTheMax() {
    Backoff days = new Backoff(Duration.ofDays(365 * 1000L), Duration.ofDays(365 * 2000L));
    assertThat(days.after(40)).isEqualTo(Duration.ofDays(365 * 2000L));
  }

  @Test
  void refusesAMaxBelowTheFirstWait() {
    assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
