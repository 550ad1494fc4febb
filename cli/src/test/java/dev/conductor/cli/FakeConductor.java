package dev.conductor.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for the conductor's HTTP API: answers requests with canned responses, in order, and
 * records what the CLI sent. Enough to test what the verbs send and how they read answers.
 */
final class FakeConductor implements AutoCloseable {

  record Request(String method, String uri, String authorization, String body) {}

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final Queue<Answer> answers = new ConcurrentLinkedQueue<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();

  private FakeConductor(HttpServer server) {
    this.server = server;
  }

  static FakeConductor start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    FakeConductor fake = new FakeConductor(server);
    server.createContext("/", fake::handle);
    server.start();
    return fake;
  }

  /** Queues the answer to the next request. */
  FakeConductor answer(int status, String body) {
    answers.add(new Answer(status, body));
    return this;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return requests;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    requests.add(
        new Request(
            exchange.getRequestMethod(),
            exchange.getRequestURI().toString(),
            exchange.getRequestHeaders().getFirst("Authorization"),
            body));
    Answer answer = answers.poll();
    if (answer == null) {
      answer = new Answer(500, "{\"detail\":\"the fake conductor has no answer queued\"}");
    }
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .set(
            "Content-Type",
            answer.status() / 100 == 2 ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
