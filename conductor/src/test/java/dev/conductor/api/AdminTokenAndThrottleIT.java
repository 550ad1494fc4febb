package dev.conductor.api;

import static dev.conductor.testing.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.testing.RunningConductor;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A guessable operator token is refused at start-up, and guessing credentials is throttled. */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class AdminTokenAndThrottleIT {

  @Test
  void aShortAdminTokenStopsStartUpWithOneLineNamingTheSetting() throws Exception {
    Path home = Files.createTempDirectory("conductor-test-home");
    try {
      assertThatThrownBy(
              () ->
                  RunningConductor.start(
                          Map.of("conductor.home", home.toString(), "conductor.admin-token", "x"))
                      .close())
          .satisfies(
              thrown -> {
                Throwable cause = thrown;
                while (cause.getCause() != null && cause.getCause() != cause) {
                  cause = cause.getCause();
                }
                assertThat(cause.getMessage())
                    .contains("CONDUCTOR_ADMIN_TOKEN")
                    .contains("24")
                    .doesNotContain("\n");
              });
    } finally {
      RunningConductor.deleteRecursively(home);
    }
  }

  @Test
  void repeatedFailedAuthenticationIsThrottledEvenForTheRightCredential() {
    try (RunningConductor conductor =
        RunningConductor.start(
            Map.of("conductor.auth.max-failures", 3, "conductor.auth.failure-window", "20s"))) {
      String apiKey = conductor.onboard("guarded", "dev");

      for (int i = 0; i < 3; i++) {
        assertProblem(conductor.send(withToken(conductor, "/v1/tenants", "wrong-" + i)), 401);
      }
      HttpResponse<String> throttled = conductor.get("/v1/tenants");
      assertProblem(throttled, 429);
      assertThat(throttled.headers().firstValue("Retry-After")).isPresent();
      // The same address is throttled on the job API too.
      assertProblem(conductor.send(conductor.tenant(apiKey, "/v1/jobs").GET()), 429);

      RunningConductor.await(
          () -> conductor.get("/v1/tenants").statusCode(),
          code -> code == 200,
          Duration.ofSeconds(90));

      for (int i = 0; i < 3; i++) {
        assertProblem(conductor.send(conductor.tenant("ck_wrong" + i, "/v1/jobs").GET()), 401);
      }
      HttpResponse<String> keyThrottled =
          conductor.send(conductor.tenant(apiKey, "/v1/jobs").GET());
      assertProblem(keyThrottled, 429);
      assertThat(keyThrottled.headers().firstValue("Retry-After")).isPresent();
    }
  }

  @Test
  void wrongTokensOnHealthCountTowardsTheThrottle() {
    try (RunningConductor conductor =
        RunningConductor.start(
            Map.of("conductor.auth.max-failures", 3, "conductor.auth.failure-window", "60s"))) {
      // /health shows its details for the operator token: it must not be a free guessing oracle.
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> health = conductor.send(withToken(conductor, "/health", "wrong-" + i));
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).doesNotContain("details");
      }

      assertProblem(conductor.get("/v1/tenants"), 429);
      // Throttled, even the right token sees no details on /health.
      HttpResponse<String> health =
          conductor.send(withToken(conductor, "/health", conductor.adminToken()));
      assertThat(health.body()).doesNotContain("details");
    }
  }

  private static HttpRequest.Builder withToken(
      RunningConductor conductor, String path, String token) {
    return HttpRequest.newBuilder(conductor.url().resolve(path))
        .header("Authorization", "Bearer " + token)
        .timeout(Duration.ofSeconds(30))
        .GET();
  }
}
