package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AgeTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @Test
  void agesCountInTheLargestUnitThatFits() {
    assertThat(ago(Duration.ZERO)).isEqualTo("0s ago");
    assertThat(ago(Duration.ofSeconds(59))).isEqualTo("59s ago");
    assertThat(ago(Duration.ofSeconds(60))).isEqualTo("1m ago");
    assertThat(ago(Duration.ofMinutes(59).plusSeconds(59))).isEqualTo("59m ago");
    assertThat(ago(Duration.ofHours(1))).isEqualTo("1h ago");
    assertThat(ago(Duration.ofHours(47))).isEqualTo("47h ago");
    assertThat(ago(Duration.ofHours(48))).isEqualTo("2d ago");
  }

  @Test
  void aServerClockAheadIsNowAndNoneIsADash() {
    assertThat(Age.ago(NOW.plusSeconds(3), NOW)).isEqualTo("0s ago");
    assertThat(Age.ago(null, NOW)).isEqualTo("-");
  }

  private static String ago(Duration age) {
    return Age.ago(NOW.minus(age), NOW);
  }
}
