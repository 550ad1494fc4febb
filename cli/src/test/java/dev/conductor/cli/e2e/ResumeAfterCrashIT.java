package dev.conductor.cli.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 5, provisioning is resumable and idempotent, through a real crash: the conductor is
 * killed with SIGKILL in the middle of provisioning, restarted on the same home, and must finish
 * the same operation with a second attempt, leaving exactly one database and one role behind.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class ResumeAfterCrashIT {

  private static final String TENANT = "crash-test";
  private static final String DATABASE = "tenant_crash_test";
  private static final String ROLE = "tenant_crash_test_owner";
  private static final String TOKEN = "e2e-" + UUID.randomUUID();
  private static final Duration READY_WITHIN = Duration.ofSeconds(90);
  private static final Duration POSTGRES_STOPS_WITHIN = Duration.ofSeconds(30);
  // A short lease so the dead conductor's claim expires by the time the restart is up.
  private static final String LEASE = "3s";

  private Path home;
  private ConductorProcess crashed;
  private ConductorProcess restarted;
  private String operationId;
  private boolean resumed;

  @RegisterExtension
  final ServerLogOnFailure serverLogs =
      new ServerLogOnFailure(() -> Arrays.asList(crashed, restarted));

  @BeforeAll
  void createHome() throws IOException {
    home = Files.createTempDirectory("conductor-e2e-crash-");
  }

  @AfterAll
  void cleanUp() {
    try {
      for (ConductorProcess server : Arrays.asList(crashed, restarted)) {
        if (server != null) {
          server.close();
        }
      }
      Postmaster.stopLeftover(home);
    } finally {
      E2e.deleteRecursively(home);
    }
  }

  @Test
  @Order(1)
  void provisioningKilledMidwayResumesWhenTheConductorRestarts() {
    crashed =
        ConductorProcess.start(
            "ResumeAfterCrashIT-killed",
            home,
            Map.of(
                "CONDUCTOR_ADMIN_TOKEN", TOKEN,
                "CONDUCTOR_OPERATIONS_LEASE", LEASE,
                // Two seconds after each step: time to kill it between two steps.
                "CONDUCTOR_OPERATIONS_STEP_DELAY", "2s"));
    ConductorApi before = new ConductorApi(crashed.url(), TOKEN);
    JsonNode accepted =
        before.post("/v1/tenants", ConductorApi.object("name", TENANT, "plan", "dev"), 202);
    operationId = accepted.path("operationId").asText();
    assertThat(operationId).as(accepted.toString()).isNotBlank();

    Poll.until(
        "a provisioning step recorded after 'attempt 1' of operation " + operationId,
        Duration.ofSeconds(60),
        () -> {
          JsonNode operation = before.get("/v1/operations/" + operationId);
          if (ended(operation)) {
            throw new AssertionError("the operation ended before the crash: " + operation);
          }
          return operation;
        },
        operation -> eventsAfter(operation, "provision attempt 1") >= 1);
    Postmaster orphan = Postmaster.of(home).orElseThrow();

    crashed.kill();

    assertThat(crashed.isAlive()).isFalse();
    assertThat(ProcessHandle.of(crashed.pid()).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(orphan.isAlive())
        .as("premise: SIGKILL leaves the conductor's postgres (pid %d) running", orphan.pid())
        .isTrue();

    restarted =
        ConductorProcess.start(
            "ResumeAfterCrashIT-restarted",
            home,
            Map.of("CONDUCTOR_ADMIN_TOKEN", TOKEN, "CONDUCTOR_OPERATIONS_LEASE", LEASE));
    assertThat(orphan.isAlive())
        .as(
            "the postgres (pid %d) the killed conductor left is stopped by the restart",
            orphan.pid())
        .isFalse();

    ConductorApi after = new ConductorApi(restarted.url(), TOKEN);
    JsonNode tenant =
        Poll.until(
            "tenant " + TENANT + " READY after the restart",
            READY_WITHIN,
            () -> {
              JsonNode current = after.get("/v1/tenants/" + TENANT);
              if ("FAILED".equals(current.path("status").asText())) {
                throw new AssertionError("the resumed provisioning failed: " + current);
              }
              return current;
            },
            current -> "READY".equals(current.path("status").asText()));
    JsonNode operation = after.get("/v1/operations/" + operationId);
    assertThat(operation.path("status").asText()).as(operation.toString()).isEqualTo("SUCCEEDED");
    assertThat(operation.path("attempts").asInt())
        .as(operation.toString())
        .isGreaterThanOrEqualTo(2);
    assertThat(messages(operation)).anyMatch(message -> message.contains("provision attempt 2"));
    assertThat(tenant.at("/resources/database/database").asText()).isEqualTo(DATABASE);
    assertThat(tenant.at("/resources/database/role").asText()).isEqualTo(ROLE);
    resumed = true;
  }

  @Test
  @Order(2)
  void theSecondAttemptLeftExactlyOneDatabaseAndOneRole() throws SQLException, IOException {
    assumeTrue(resumed, "provisioning did not resume; nothing to check");
    Postmaster postgres =
        Postmaster.of(home).orElseThrow(() -> new AssertionError("no postmaster.pid in " + home));

    try (Connection connection = postgres.connect("postgres")) {
      assertThat(
              strings(
                  connection,
                  "SELECT datname FROM pg_database WHERE datname LIKE 'tenant\\_%' ORDER BY 1"))
          .containsExactly(DATABASE);
      assertThat(
              strings(
                  connection,
                  "SELECT rolname FROM pg_roles WHERE rolname LIKE 'tenant\\_%' ORDER BY 1"))
          .containsExactly(ROLE);
      assertThat(
              strings(
                  connection,
                  "SELECT pg_get_userbyid(datdba) || ' ' || rolcanlogin FROM pg_database, pg_roles"
                      + " WHERE datname = '"
                      + DATABASE
                      + "' AND rolname = '"
                      + ROLE
                      + "'"))
          .as("owner of %s, and whether %s can log in", DATABASE, ROLE)
          .containsExactly(ROLE + " true");
    }
  }

  @Test
  @Order(3)
  void sigtermStopsTheConductorAndItsPostgres() {
    assumeTrue(restarted != null && restarted.isAlive(), "no restarted conductor to stop");
    Postmaster postgres =
        Postmaster.of(home).orElseThrow(() -> new AssertionError("no postmaster.pid in " + home));

    boolean exited = restarted.stop(ConductorProcess.GRACEFUL_STOP);
    boolean postgresStopped =
        Poll.eventually(
            POSTGRES_STOPS_WITHIN, () -> !postgres.isAlive() && Postmaster.running(home).isEmpty());

    SoftAssertions.assertSoftly(
        softly -> {
          softly
              .assertThat(exited)
              .as(
                  "conductor pid %d exited within %ds of SIGTERM (thread dump: %s)",
                  restarted.pid(),
                  ConductorProcess.GRACEFUL_STOP.toSeconds(),
                  restarted.threadDumpFile())
              .isTrue();
          softly
              .assertThat(postgresStopped)
              .as(
                  "its postgres (pid %d) and any other postgres on %s stopped",
                  postgres.pid(), Postmaster.dataDirectory(home))
              .isTrue();
        });
  }

  private static boolean ended(JsonNode operation) {
    String status = operation.path("status").asText();
    return "SUCCEEDED".equals(status) || "FAILED".equals(status);
  }

  /** How many events the operation recorded after the first one containing {@code marker}. */
  private static int eventsAfter(JsonNode operation, String marker) {
    List<String> messages = messages(operation);
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).contains(marker)) {
        return messages.size() - i - 1;
      }
    }
    return 0;
  }

  private static List<String> messages(JsonNode operation) {
    List<String> messages = new ArrayList<>();
    operation.path("events").forEach(event -> messages.add(event.path("message").asText()));
    return messages;
  }

  private static List<String> strings(Connection connection, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }
}
