package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code --watch} draws the list again with what the server answers now, and keeps going while the
 * server is away. A loopback server counts the requests and names its tenant after the count.
 */
class WatchOptionTest {
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void countingServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/v1/tenants",
        exchange -> {
          int n = requests.incrementAndGet();
          byte[] body =
              ("[{\"name\":\"t" + n + "\",\"plan\":\"dev\",\"status\":\"READY\",\"resources\":{}}]")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  @Test
  void eachDrawingShowsWhatTheServerAnswersNowUntilInterrupted() throws Exception {
    StringWriter out = new StringWriter();
    Thread watching = watch(out, "tenants", "list", "--watch", "--interval", "1", "-o", "name");

    await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("t2\n"));
    watching.interrupt();
    watching.join(10_000);

    assertThat(watching.isAlive()).isFalse();
    assertThat(out.toString()).startsWith("t1\n\nt2\n\n");
  }

  @Test
  void aServerThatGoesAwayIsShownAndWatchingGoesOn() throws Exception {
    StringWriter out = new StringWriter();
    Thread watching = watch(out, "tenants", "list", "-w", "--interval", "1", "-o", "name");
    await().atMost(Duration.ofSeconds(30)).until(() -> out.toString().contains("t1\n"));

    server.stop(0);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> out.toString().contains("waiting for the server: "));
    assertThat(watching.isAlive()).isTrue();
    watching.interrupt();
    watching.join(10_000);
    assertThat(watching.isAlive()).isFalse();
  }

  @Test
  void anIntervalUnderASecondIsAUsageError() {
    CliRun run = CliRun.execute(env(), "tenants", "list", "--watch", "--interval", "0");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--interval must be at least 1 second");
    assertThat(requests).hasValue(0);
  }

  private Thread watch(StringWriter out, String... args) {
    CommandLine cli = ConductorCli.commandLine(env(), false, args);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(new StringWriter(), true));
    Thread thread = new Thread(() -> cli.execute(args), "watching");
    thread.start();
    return thread;
  }

  private Map<String, String> env() {
    return Map.of(
        "CONDUCTOR_URL", "http://127.0.0.1:" + server.getAddress().getPort(),
        "CONDUCTOR_TOKEN", "operator-token-for-the-test",
        "CONDUCTOR_HOME", "/nonexistent");
  }
}
