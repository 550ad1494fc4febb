package dev.conductor.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Unauthenticated clients cannot hold the listener: a request head that never completes is cut off,
 * and connections past the cap are closed while the operator still gets through afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ConnectionLimitsIT {
  private static final int CAP = 10;
  private RunningConductor conductor;

  @BeforeAll
  void start() {
    conductor =
        RunningConductor.start(
            Map.of(
                "conductor.http.max-connections",
                CAP,
                "conductor.http.request-head-timeout",
                "15s"));
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void aRequestHeadThatNeverEndsIsClosed() throws Exception {
    try (RawHttp socket = RawHttp.connect(conductor.url(), 60_000)) {
      socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      assertThat(socket.readUntilClosed()).as("the server closed the connection").isEmpty();
    }
  }

  @Test
  void aStalledSecondRequestOnAKeptAliveConnectionIsClosed() throws Exception {
    try (RawHttp socket = RawHttp.connect(conductor.url(), 60_000)) {
      socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n");
      assertThat(socket.readResponse()).startsWith("HTTP/1.1 200");
      socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
      assertThat(socket.readUntilClosed()).as("the server closed the connection").isEmpty();
    }
  }

  @Test
  void aRequestHeadTrickledByteByByteIsClosedToo() throws Exception {
    try (RawHttp socket = RawHttp.connect(conductor.url(), 500)) {
      socket.send("GET /health HTTP/1.1\r\nHost: localhost\r\n");
      boolean closed = false;
      // A header line every half second: each is activity, none completes the head.
      for (int i = 0; i < 120 && !closed; i++) {
        try {
          socket.send("X-Slow-" + i + ": a\r\n");
          closed = socket.readUntilClosed() != null;
        } catch (IOException e) {
          closed = true;
        }
      }
      assertThat(closed).as("the server closed the trickling connection").isTrue();
    }
  }

  @Test
  void connectionsPastTheCapAreClosedAndTheOperatorGetsThroughOnceOthersClose() throws Exception {
    List<RawHttp> held = new ArrayList<>();
    try {
      for (int i = 0; i <= CAP; i++) {
        held.add(RawHttp.connect(conductor.url(), 10_000));
      }
      // Connections are counted on several event loops, so any one of them may be the refused one.
      boolean oneClosed = false;
      for (int round = 0; round < 20 && !oneClosed; round++) {
        for (RawHttp socket : held) {
          oneClosed |= socket.closedWithin(50);
        }
      }
      assertThat(oneClosed).as("a connection past the cap was closed").isTrue();
    } finally {
      held.forEach(RawHttp::close);
    }
    HttpResponse<?> answered =
        RunningConductor.await(this::listTenants, r -> r != null, Duration.ofSeconds(30));
    assertThat(answered.statusCode()).isEqualTo(200);
  }

  /** The operator's request, or null while the server still refuses the connection. */
  private HttpResponse<String> listTenants() {
    try {
      return conductor.send(conductor.admin("/v1/tenants").timeout(Duration.ofSeconds(10)).GET());
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof SocketTimeoutException) {
        throw e;
      }
      return null;
    }
  }
}
