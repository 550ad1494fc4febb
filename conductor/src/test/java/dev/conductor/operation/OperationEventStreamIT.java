package dev.conductor.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.ProvisionerGate;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * {@code GET /v1/operations/{id}/events} follows an operation held RUNNING ({@link
 * ProvisionerGate}) woken by the database's notifications: events another replica writes (here:
 * rows inserted directly) reach the stream, an idle stream queries nothing, and a lost listening
 * connection loses no event.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class OperationEventStreamIT {
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final String END_OF_STREAM = "\u0000end of stream";
  private RunningConductor conductor;
  private ProvisionerGate gate;

  @BeforeAll
  void start() {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put(ProvisionerGate.PROPERTY, true);
    conductor = RunningConductor.start(properties);
    gate = ProvisionerGate.of(conductor);
  }

  @AfterAll
  void stop() {
    conductor.close();
  }

  @Test
  void anIdleStreamQueriesNothingAndDeliversEventsWrittenAfterItOpened() throws Exception {
    gate.hold("watched");
    String operation = onboard("watched");
    SseLines stream = open(operation);
    // The provisioner's first step is the last event before the gate holds the operation.
    stream.awaitLine(line -> line.contains("role tenant_watched_owner: created"));

    // While the stream waits, the table is locked: a stream that polled would queue behind it.
    try (Connection db = conductor.superuserConnection()) {
      db.setAutoCommit(false);
      try (Statement lock = db.createStatement()) {
        lock.execute("LOCK TABLE operation_events IN ACCESS EXCLUSIVE MODE");
      }
      Awaitility.await()
          .during(Duration.ofSeconds(2))
          .atMost(LIMIT)
          .pollInterval(Duration.ofMillis(100))
          .failFast("an idle stream queries the events", () -> queriesWaitingForEvents() != 0)
          .until(() -> queriesWaitingForEvents() == 0);
      db.rollback();
    }

    insertEvent(operation, "written by another replica");
    stream.awaitLine(line -> line.contains("written by another replica"));

    gate.release("watched");
    // The closing event is committed with the end, so a stream woken by the end still has it.
    assertThat(String.join("\n", stream.awaitLine(line -> line.contains("event: end"))))
        .contains("tenant watched is READY");
    List<String> rest = stream.awaitLine(END_OF_STREAM::equals);
    assertThat(String.join("\n", rest)).contains("\"status\":\"SUCCEEDED\"");
  }

  @Test
  void aStreamHearsEventsWrittenAfterTheListeningConnectionIsLost() throws Exception {
    gate.hold("resilient");
    String operation = onboard("resilient");
    SseLines stream = open(operation);
    stream.awaitLine(line -> line.contains("onboarding tenant resilient"));
    try (Connection db = conductor.superuserConnection();
        PreparedStatement kill =
            db.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                    + " WHERE application_name = ?")) {
      kill.setString(1, DatabaseNotifications.APPLICATION_NAME);
      try (ResultSet killed = kill.executeQuery()) {
        killed.next();
        assertThat(killed.getInt(1)).isEqualTo(1);
      }
    }
    insertEvent(operation, "written while nobody listened");
    stream.awaitLine(line -> line.contains("written while nobody listened"));
    gate.release("resilient");
    stream.awaitLine(line -> line.contains("event: end"));
    stream.awaitLine(END_OF_STREAM::equals);
  }

  private String onboard(String name) {
    HttpResponse<String> created =
        conductor.postJson("/v1/tenants", "{\"name\":\"" + name + "\",\"plan\":\"dev\"}");
    assertThat(created.statusCode()).isEqualTo(202);
    return Json.parse(created.body()).get("operationId").asText();
  }

  private SseLines open(String operation) throws Exception {
    HttpResponse<Stream<String>> response =
        HttpClient.newHttpClient()
            .send(
                conductor
                    .admin("/v1/operations/" + operation + "/events")
                    .timeout(Duration.ofMinutes(3))
                    .header("Accept", "text/event-stream")
                    .GET()
                    .build(),
                HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    return new SseLines(response.body());
  }

  private void insertEvent(String operation, String message) throws Exception {
    try (Connection db = conductor.superuserConnection();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO operation_events (operation_id, at, level, message)"
                    + " VALUES (?, now(), 'INFO', ?)")) {
      insert.setObject(1, UUID.fromString(operation));
      insert.setString(2, message);
      assertThat(insert.executeUpdate()).isEqualTo(1);
    }
  }

  private int queriesWaitingForEvents() throws Exception {
    try (Connection db = conductor.superuserConnection();
        Statement query = db.createStatement();
        ResultSet waiting =
            query.executeQuery(
                "SELECT count(*) FROM pg_locks"
                    + " WHERE relation = 'operation_events'::regclass AND NOT granted")) {
      waiting.next();
      return waiting.getInt(1);
    }
  }

  /** The stream's lines as they arrive, read on a thread of their own. */
  private static final class SseLines {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    SseLines(Stream<String> body) {
      Thread reader =
          new Thread(
              () -> {
                try {
                  body.forEach(lines::add);
                } finally {
                  lines.add(END_OF_STREAM);
                }
              },
              "sse-reader");
      reader.setDaemon(true);
      reader.start();
    }

    /** The lines up to and including the first that matches; fails after {@link #LIMIT}. */
    List<String> awaitLine(java.util.function.Predicate<String> match) throws Exception {
      List<String> seen = new ArrayList<>();
      Instant deadline = Instant.now().plus(LIMIT);
      while (Instant.now().isBefore(deadline)) {
        String line = lines.poll(100, TimeUnit.MILLISECONDS);
        if (line == null) {
          continue;
        }
        seen.add(line);
        if (match.test(line)) {
          return seen;
        }
        if (line.equals(END_OF_STREAM)) {
          break;
        }
      }
      throw new AssertionError("no matching line within " + LIMIT + "; saw " + seen);
    }
  }
}
