package dev.conductor.tenant;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.notification.DatabaseNotifications;
import dev.conductor.secret.ApiKeys;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Two conductor replicas on one database and one broker: a key or status change made through
 * replica A holds on replica B as soon as A has answered, although B had the key cached. No waiting
 * between A's answer and B's request: that is the promise under test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class KeyRevocationAcrossReplicasIT {
  private RunningConductor a;
  private RunningConductor b;

  @BeforeAll
  void start() {
    a = RunningConductor.start(Map.of());
    b = RunningConductor.start(a.engines());
    awaitListeners(2);
  }

  @AfterAll
  void stop() {
    if (b != null) {
      b.close();
    }
    if (a != null) {
      a.close();
    }
  }

  @Test
  void rotateSuspendResumeAndDeleteOnOneReplicaHoldOnTheOtherAtOnce() {
    String oldKey = a.onboard("revoked", "dev");
    assertJobsStatus(b, oldKey, 200);
    assertThat(cacheOf(b).get(ApiKeys.hash(oldKey))).as("B remembers the key").isNotNull();

    HttpResponse<String> rotated = a.postJson("/v1/tenants/revoked/api-keys", "");
    assertThat(rotated.statusCode()).isIn(200, 201);
    String newKey = Json.parse(rotated.body()).get("apiKey").asText();
    assertProblem(b.send(b.tenant(oldKey, "/v1/jobs").GET()), 401);
    assertJobsStatus(b, newKey, 200);
    assertThat(cacheOf(b).get(ApiKeys.hash(newKey))).isNotNull();

    assertThat(a.postJson("/v1/tenants/revoked/suspend", "").statusCode()).isEqualTo(200);
    assertProblem(b.send(b.tenant(newKey, "/v1/jobs").GET()), 403);
    assertProblem(b.send(b.tenant(newKey, "/v1/jobs").GET()), 403);

    assertThat(a.postJson("/v1/tenants/revoked/resume", "").statusCode()).isEqualTo(200);
    assertJobsStatus(b, newKey, 200);
    assertJobsStatus(b, newKey, 200);

    assertThat(a.delete("/v1/tenants/revoked").statusCode()).isEqualTo(202);
    assertProblem(b.send(b.tenant(newKey, "/v1/jobs").GET()), 403);
    RunningConductor.await(
        () -> a.tenant("revoked").path("status").asText(),
        "DELETED"::equals,
        Duration.ofSeconds(90));
    assertProblem(b.send(b.tenant(newKey, "/v1/jobs").GET()), 403);
    assertProblem(a.send(a.tenant(newKey, "/v1/jobs").GET()), 403);
  }

  /** A remembered key is decided without reading the tenants table at all. */
  @Test
  void aRememberedKeyAuthenticatesWithoutAQuery() throws Exception {
    String key = a.onboard("remembered", "dev");
    try {
      assertJobsStatus(b, key, 200);
      assertThat(cacheOf(b).get(ApiKeys.hash(key))).isNotNull();
      try (Connection db = a.superuserConnection()) {
        db.setAutoCommit(false);
        try (Statement lock = db.createStatement()) {
          lock.execute("LOCK TABLE tenants IN ACCESS EXCLUSIVE MODE");
        }
        // Every read of tenants now waits for this transaction: only a cache hit gets through.
        assertJobsStatus(b, key, 200);
        db.rollback();
      }
    } finally {
      a.offboard("remembered");
    }
  }

  /** A lost listening connection forgets every key; afterwards revocation holds as before. */
  @Test
  void aLostListeningConnectionForgetsEveryKey() throws Exception {
    String key = a.onboard("forgetful", "dev");
    try {
      assertJobsStatus(b, key, 200);
      assertThat(cacheOf(b).size()).isPositive();
      try (Connection db = a.superuserConnection();
          PreparedStatement kill =
              db.prepareStatement(
                  "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                      + " WHERE application_name = ?")) {
        kill.setString(1, DatabaseNotifications.APPLICATION_NAME);
        try (ResultSet killed = kill.executeQuery()) {
          killed.next();
          assertThat(killed.getInt(1)).isEqualTo(2);
        }
      }
      RunningConductor.await(() -> cacheOf(b).size(), size -> size == 0, Duration.ofSeconds(30));
      awaitListeners(2);

      assertJobsStatus(b, key, 200);
      RunningConductor.await(
          () -> cacheOf(b).get(ApiKeys.hash(key)) != null,
          cached -> cached,
          Duration.ofSeconds(30));
      assertThat(a.postJson("/v1/tenants/forgetful/suspend", "").statusCode()).isEqualTo(200);
      assertProblem(b.send(b.tenant(key, "/v1/jobs").GET()), 403);
      assertThat(a.postJson("/v1/tenants/forgetful/resume", "").statusCode()).isEqualTo(200);
    } finally {
      a.offboard("forgetful");
    }
  }

  private static void assertJobsStatus(RunningConductor replica, String key, int status) {
    HttpResponse<String> response = replica.send(replica.tenant(key, "/v1/jobs").GET());
    assertThat(response.statusCode())
        .as("%s %s", response.headers().map(), response.body())
        .isEqualTo(status);
  }

  private static TenantKeyCache cacheOf(RunningConductor replica) {
    return replica.server().context().getBean(TenantKeyCache.class);
  }

  private void awaitListeners(int count) {
    RunningConductor.await(
        () -> {
          try (Connection db = a.superuserConnection();
              PreparedStatement query =
                  db.prepareStatement(
                      "SELECT count(*) FROM pg_stat_activity WHERE application_name = ?")) {
            query.setString(1, DatabaseNotifications.APPLICATION_NAME);
            try (ResultSet row = query.executeQuery()) {
              row.next();
              return row.getInt(1);
            }
          } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
          }
        },
        listeners -> listeners == count,
        Duration.ofSeconds(30));
  }
}
