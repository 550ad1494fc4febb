package dev.conductor.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are the database's outage (an API 503, held worker reports) and which are not. */
class DatabaseFailuresTest {

  @Test
  void lostOrUnobtainableConnectionsAreAnOutage() {
    assertThat(
            DatabaseFailures.isOutage(
                new IllegalStateException(new SQLTransientConnectionException("pool timed out"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isOutage(new RuntimeException(new SQLException("I/O error", "08006"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isOutage(
                new RuntimeException(new SQLException("shutting down", "57P01"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isOutage(
                new RuntimeException(new SocketTimeoutException("Read timed out"))))
        .isTrue();
    assertThat(
            DatabaseFailures.isOutage(
                new RuntimeException(new SQLException("too many connections", "53300"))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(
            DatabaseFailures.isOutage(
                new RuntimeException(new SQLException("duplicate key", "23505"))))
        .isFalse();
    assertThat(DatabaseFailures.isOutage(new IllegalStateException("bug"))).isFalse();
  }
}
