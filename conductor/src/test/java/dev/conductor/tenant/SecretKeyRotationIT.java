package dev.conductor.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.secret.SecretBox;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.Json;
import dev.conductor.testing.RunningConductor;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The key that seals stored secrets changes while the conductor runs: afterwards every stored
 * secret opens with the new key alone, workers still start (they need the tenant's sealed bus
 * password), and so they do after a restart, when the old key is gone.
 */
class SecretKeyRotationIT {
  private static final Duration LIMIT = Duration.ofSeconds(90);
  private Path home;

  @BeforeEach
  void createHome() throws Exception {
    home = Files.createTempDirectory("conductor-rotation-home");
  }

  @AfterEach
  void deleteHome() {
    RunningConductor.deleteRecursively(home);
  }

  @Test
  void theHomesKeyIsReplacedAndEverySecretSealedAgain() throws Exception {
    byte[] before;
    String key;
    try (RunningConductor conductor = RunningConductor.start(settings(Map.of()))) {
      key = conductor.onboard("sealed", "dev");
      runsAJob(conductor, key, "first");
      before = keyFile();
      assertThat(openWith(conductor, before)).isPositive();

      JsonNode rotated = rotate(conductor);

      assertThat(rotated.get("newKey").asBoolean()).isTrue();
      assertThat(rotated.get("resealed").asInt()).isPositive();
      assertThat(rotated.get("unreadable").asInt()).isZero();
      assertThat(keyFile()).isNotEqualTo(before);
      assertThat(home.resolve(SecretBox.PREVIOUS_KEY_FILE)).doesNotExist();
      assertThat(openWith(conductor, keyFile())).isEqualTo(rotated.get("resealed").asInt());
      assertThatThrownBy(() -> openWith(conductor, before))
          .isInstanceOf(IllegalStateException.class);
      // A new affinity key: a new worker, started with the secrets sealed under the new key.
      runsAJob(conductor, key, "after-rotation");
    }
    try (RunningConductor restarted = RunningConductor.start(settings(Map.of()))) {
      runsAJob(restarted, key, "after-restart");
      restarted.offboard("sealed");
    }
  }

  @Test
  void aConfiguredKeyReSealsWhatThePreviousKeySealed() throws Exception {
    String first = newKey();
    String second = newKey();
    String key;
    try (RunningConductor conductor =
        RunningConductor.start(settings(Map.of("conductor.secrets.key", first)))) {
      key = conductor.onboard("configured", "dev");
    }
    try (RunningConductor unknown =
        RunningConductor.start(settings(Map.of("conductor.secrets.key", newKey())))) {
      // Neither key it knows sealed them: nothing changes, and the answer says how many.
      JsonNode refused = rotate(unknown);
      assertThat(refused.get("newKey").asBoolean()).isFalse();
      assertThat(refused.get("unreadable").asInt()).isPositive();
      assertThat(refused.get("resealed").asInt()).isZero();
    }
    try (RunningConductor conductor =
        RunningConductor.start(
            settings(
                Map.of(
                    "conductor.secrets.key", second,
                    "conductor.secrets.previous-keys", first)))) {
      JsonNode rotated = rotate(conductor);

      assertThat(rotated.get("newKey").asBoolean()).isFalse();
      assertThat(rotated.get("resealed").asInt()).isPositive();
      assertThat(rotated.get("unreadable").asInt()).isZero();
      assertThat(openWith(conductor, Base64.getDecoder().decode(second)))
          .isEqualTo(rotated.get("resealed").asInt());
    }
    try (RunningConductor conductor =
        RunningConductor.start(settings(Map.of("conductor.secrets.key", second)))) {
      runsAJob(conductor, key, "second-key-only");
      conductor.offboard("configured");
    }
  }

  private Map<String, Object> settings(Map<String, Object> more) {
    Map<String, Object> settings = new HashMap<>(FastTimers.properties());
    settings.put("conductor.home", home.toString());
    settings.putAll(more);
    return settings;
  }

  private static JsonNode rotate(RunningConductor conductor) {
    HttpResponse<String> answer = conductor.postJson("/v1/admin/secrets-key/rotate", "");
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Json.parse(answer.body());
  }

  private static void runsAJob(RunningConductor conductor, String key, String affinity) {
    String id =
        conductor.submitJob(
            key, "{\"type\":\"echo\",\"payload\":1,\"affinityKey\":\"" + affinity + "\"}");
    assertThat(conductor.awaitJobEnded(key, id, LIMIT).get("status").asText())
        .isEqualTo("SUCCEEDED");
  }

  private byte[] keyFile() throws Exception {
    return Base64.getUrlDecoder().decode(Files.readString(home.resolve(SecretBox.KEY_FILE)).trim());
  }

  /** Opens every stored secret with {@code key} alone; how many there are. */
  private static int openWith(RunningConductor conductor, byte[] key) throws Exception {
    SecretBox box = new SecretBox(key);
    List<byte[]> sealed = new ArrayList<>();
    try (Connection db = conductor.superuserConnection();
        Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT secrets FROM tenant_resources WHERE secrets IS NOT NULL")) {
      while (rows.next()) {
        sealed.add(rows.getBytes(1));
      }
    }
    sealed.forEach(box::open);
    return sealed.size();
  }

  private static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }
}
