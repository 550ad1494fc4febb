package dev.conductor.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code conductor.metrics.port}: the metrics also on a port of their own, without the operator
 * token, for a Prometheus that should not hold that token. Only {@code GET /metrics} is served
 * there; it binds {@code conductor.metrics.host} (loopback unless configured), so that opening it
 * to a network is a decision. {@code /metrics} on the API port stays behind the token.
 */
@Context
@Requires(property = "conductor.metrics.port")
public class MetricsPort {
  private static final Logger LOG = LoggerFactory.getLogger(MetricsPort.class);

  private final MetricsController metrics;
  private final HttpServer server;
  private final ExecutorService executor;

  MetricsPort(MetricsController metrics, MetricsSettings settings) {
    this.metrics = metrics;
    int port = Objects.requireNonNull(settings.port(), "conductor.metrics.port");
    try {
      server = HttpServer.create(new InetSocketAddress(settings.host(), port), 16);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "conductor.metrics.port: cannot listen on " + settings.host() + ":" + port, e);
    }
    // One scrape at a time is plenty for Prometheus, and bounds what a flood of scrapes costs.
    executor = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "metrics-port"));
    server.setExecutor(executor);
    server.createContext("/", this::answer);
    server.start();
    LOG.info("metrics on http://{}:{}/metrics", settings.host(), port());
  }

  /** The port it listens on (the one chosen when configured as 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestURI().getPath().equals("/metrics")) {
        send(exchange, 404, "text/plain; charset=utf-8", "only /metrics is served here\n");
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
      } else {
        send(exchange, 200, MetricsController.PROMETHEUS_TEXT, metrics.scrape());
      }
    } catch (RuntimeException e) {
      LOG.warn("metrics scrape failed: {}", e.toString());
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @PreDestroy
  void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
