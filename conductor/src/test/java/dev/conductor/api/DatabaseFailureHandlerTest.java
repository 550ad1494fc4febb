package dev.conductor.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

/** Which failures are the database's outage (503) and which stay server errors (500). */
class DatabaseFailureHandlerTest {

  @Test
  void lostOrUnobtainableConnectionsAreAnOutage() {
    assertThat(
            DatabaseFailureHandler.isConnectionFailure(
                new IllegalStateException(new SQLTransientConnectionException("pool timed out"))))
        .isTrue();
    assertThat(
            DatabaseFailureHandler.isConnectionFailure(
                new RuntimeException(new SQLException("I/O error", "08006"))))
        .isTrue();
    assertThat(
            DatabaseFailureHandler.isConnectionFailure(
                new RuntimeException(new SQLException("shutting down", "57P01"))))
        .isTrue();
    assertThat(
            DatabaseFailureHandler.isConnectionFailure(
                new RuntimeException(new SocketTimeoutException("Read timed out"))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(
            DatabaseFailureHandler.isConnectionFailure(
                new RuntimeException(new SQLException("duplicate key", "23505"))))
        .isFalse();
    assertThat(DatabaseFailureHandler.isConnectionFailure(new IllegalStateException("bug")))
        .isFalse();
  }
}
