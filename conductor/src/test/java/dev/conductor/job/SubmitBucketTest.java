package dev.conductor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The token bucket behind a plan's submit-rate and submit-burst, on a clock the test moves. */
@Timeout(10)
class SubmitBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aFullBucketLetsTheBurstThroughThenSaysWhenTheNextTokenComes() {
    SubmitLimits.Bucket bucket = new SubmitLimits.Bucket();
    for (int i = 0; i < 3; i++) {
      assertThat(bucket.take(2, 3, 0)).isZero();
    }
    assertThat(bucket.take(2, 3, 0)).isEqualTo(Duration.ofMillis(500));
    assertThat(bucket.take(2, 3, SECOND / 4)).isEqualTo(Duration.ofMillis(250));
    assertThat(bucket.take(2, 3, SECOND / 2)).isZero();
  }

  @Test
  void anIdleTenantRefillsOnlyUpToTheBurst() {
    SubmitLimits.Bucket bucket = new SubmitLimits.Bucket();
    assertThat(bucket.take(1, 2, 0)).isZero();
    assertThat(bucket.take(1, 2, 0)).isZero();
    long hourLater = 3600 * SECOND;
    assertThat(bucket.take(1, 2, hourLater)).isZero();
    assertThat(bucket.take(1, 2, hourLater)).isZero();
    assertThat(bucket.take(1, 2, hourLater)).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void aBatchTakesWhatTheBucketHoldsAndSaysWhenTheNextTokenComes() {
    SubmitLimits.Bucket bucket = new SubmitLimits.Bucket();
    assertThat(bucket.takeUpTo(5, 2, 3, 0))
        .isEqualTo(new SubmitLimits.Bucket.Taken(3, Duration.ofMillis(500)));
    assertThat(bucket.takeUpTo(2, 2, 3, SECOND))
        .isEqualTo(new SubmitLimits.Bucket.Taken(2, Duration.ZERO));
    assertThat(bucket.take(2, 3, SECOND)).isEqualTo(Duration.ofMillis(500));
  }
}
