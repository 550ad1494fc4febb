package dev.conductor.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * What the launcher runs once per CLI jar and JDK, under {@code -XX:ArchiveClassesAtExit}, so that
 * the class-data archive it writes holds what commands load: the command tree, the API client and
 * its JSON, the tables. It runs a few read-only commands against a stand-in conductor on loopback
 * that answers with fixed, made-up data, and prints nothing.
 */
public final class StartupTraining {

  private static final String TENANT =
      "{\"name\":\"training\",\"plan\":\"dev\",\"status\":\"READY\","
          + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-01T00:00:00Z\","
          + "\"resources\":{\"database\":\"tenant_training\"}}";
  private static final String WORKER =
      "{\"id\":\"w-1\",\"tenant\":\"training\",\"affinityKey\":\"eu\",\"state\":\"READY\","
          + "\"inFlight\":1,\"capacity\":4,\"startedAt\":\"2026-01-01T00:00:00Z\","
          + "\"lastActivityAt\":\"2026-01-01T00:00:01Z\",\"generation\":2}";
  private static final String JOB =
      "{\"id\":\"j-1\",\"type\":\"echo\",\"status\":\"SUCCEEDED\",\"attempts\":1,"
          + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"finishedAt\":\"2026-01-01T00:00:01Z\"}";
  private static final Map<String, String> ANSWERS =
      Map.of(
          "/v1/tenants", "[" + TENANT + "]",
          "/v1/tenants/training", TENANT,
          "/v1/workers", "[" + WORKER + "]",
          "/v1/jobs", "{\"items\":[" + JOB + "],\"nextCursor\":null}");

  private StartupTraining() {}

  public static void main(String[] args) throws IOException {
    HttpServer conductor =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    conductor.createContext("/", StartupTraining::answer);
    conductor.start();
    try {
      String server = "http://127.0.0.1:" + conductor.getAddress().getPort();
      for (List<String> command :
          List.of(
              List.of("--help"),
              List.of("tenants", "list"),
              List.of("tenants", "list", "--output", "json"),
              List.of("tenants", "show", "training"),
              List.of("workers", "list"),
              List.of("jobs", "list", "--api-key", "ck_training"),
              List.of("tenants", "show", "absent"))) {
        run(server, command);
      }
    } finally {
      conductor.stop(0);
    }
  }

  private static void run(String server, List<String> words) {
    String[] args =
        words.get(0).startsWith("-")
            ? words.toArray(String[]::new)
            : concat(words, "--server", server, "--token", "training-token-0123456789");
    PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
    ConductorCli.commandLine(Map.of(), false, args).setOut(nowhere).setErr(nowhere).execute(args);
  }

  private static String[] concat(List<String> words, String... more) {
    String[] all = words.toArray(new String[words.size() + more.length]);
    System.arraycopy(more, 0, all, words.size(), more.length);
    return all;
  }

  private static void answer(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    String body = ANSWERS.get(exchange.getRequestURI().getPath());
    byte[] bytes =
        (body != null
                ? body
                : "{\"title\":\"Not Found\",\"status\":404,\"detail\":\"no such thing\"}")
            .getBytes(StandardCharsets.UTF_8);
    exchange
        .getResponseHeaders()
        .add("Content-Type", body != null ? "application/json" : "application/problem+json");
    exchange.sendResponseHeaders(body != null ? 200 : 404, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
