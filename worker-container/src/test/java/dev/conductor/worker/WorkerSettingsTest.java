package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.messaging.time.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkerSettingsTest {
  private static final String WORKER_ID = "3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10";
  private static final String PASSWORD = "s3cr3t-do-not-log";

  @Test
  void readsEveryVariableAndAppliesDefaults() {
    WorkerSettings settings = WorkerSettings.fromEnvironment(minimal());

    assertThat(settings.workerId()).isEqualTo(WORKER_ID);
    assertThat(settings.tenant()).isEqualTo("acme");
    assertThat(settings.affinity()).isEmpty();
    assertThat(settings.capacity()).isEqualTo(1);
    assertThat(settings.busAccess().url()).isEqualTo("tcp://127.0.0.1:61616");
    assertThat(settings.busAccess().credentials().user()).isEqualTo("worker");
    assertThat(settings.busAccess().credentials().password()).isEqualTo(PASSWORD);
    assertThat(settings.busAccess().topicShards()).isEqualTo(1);
    assertThat(settings.jobTopic()).isEqualTo("acme.jobs");
    assertThat(settings.controlQueue()).isEqualTo("acme.control");
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void readsOptionalVariables() {
    Map<String, String> env = minimal();
    env.put(WorkerSettings.AFFINITY_KEY, "proxy-eu-1");
    env.put(WorkerSettings.CAPACITY, "4");
    env.put(WorkerSettings.HEARTBEAT_INTERVAL, "500ms");
    env.put(WorkerSettings.SHUTDOWN_GRACE, "1m");
    env.put(WorkerSettings.TOPIC_SHARDS, "4");

    WorkerSettings settings = WorkerSettings.fromEnvironment(env);

    assertThat(settings.busAccess().topicShards()).isEqualTo(4);
    assertThat(settings.affinity()).contains("proxy-eu-1");
    assertThat(settings.capacity()).isEqualTo(4);
    assertThat(settings.heartbeatInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.shutdownGrace()).isEqualTo(Duration.ofMinutes(1));
  }

  @ParameterizedTest
  @CsvSource({"500ms,500", "2s,2000", "1m,60000", "1h,3600000", "PT2S,2000", "PT0.25S,250"})
  void acceptsShortAndIsoDurations(String text, long millis) {
    assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void namesEveryMissingVariableInOneLine() {
    Map<String, String> env = new HashMap<>();
    env.put(WorkerSettings.TENANT, "  ");

    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid worker configuration: CONDUCTOR_WORKER_ID is required; CONDUCTOR_TENANT is"
                + " required; CONDUCTOR_BUS_URL is required; CONDUCTOR_BUS_USER is required;"
                + " CONDUCTOR_BUS_PASSWORD is required; CONDUCTOR_JOB_TOPIC is required;"
                + " CONDUCTOR_CONTROL_QUEUE is required");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "CONDUCTOR_WORKER_ID|worker-7|CONDUCTOR_WORKER_ID must be a GUID like"
            + " 3f2c1e9a-0b7d-4c55-9a1e-2d6f8b7c4a10, got 'worker-7'",
        "CONDUCTOR_WORKER_CAPACITY|0|CONDUCTOR_WORKER_CAPACITY must be a whole number from 1 to"
            + " 256, got '0'",
        "CONDUCTOR_WORKER_CAPACITY|many|CONDUCTOR_WORKER_CAPACITY must be a whole number from 1 to"
            + " 256, got 'many'",
        "CONDUCTOR_BUS_TOPIC_SHARDS|0|CONDUCTOR_BUS_TOPIC_SHARDS must be a whole number from 1 to"
            + " 1000, got '0'",
        "CONDUCTOR_BUS_TOPIC_SHARDS|four|CONDUCTOR_BUS_TOPIC_SHARDS must be a whole number from 1"
            + " to 1000, got 'four'",
        "CONDUCTOR_BUS_TOPIC_SHARDS|1001|CONDUCTOR_BUS_TOPIC_SHARDS must be a whole number from 1"
            + " to 1000, got '1001'",
        "CONDUCTOR_HEARTBEAT_INTERVAL|2x|CONDUCTOR_HEARTBEAT_INTERVAL must be a positive duration"
            + " such as 500ms, 2s, 1m or PT2S, got '2x'",
        "CONDUCTOR_HEARTBEAT_INTERVAL|0s|CONDUCTOR_HEARTBEAT_INTERVAL must be a positive duration"
            + " such as 500ms, 2s, 1m or PT2S, got '0s'",
        "CONDUCTOR_SHUTDOWN_GRACE|-PT1S|CONDUCTOR_SHUTDOWN_GRACE must be a non-negative duration"
            + " such as 500ms, 2s, 1m or PT2S, got '-PT1S'"
      })
  void explainsAnInvalidValue(String variable, String value, String problem) {
    Map<String, String> env = minimal();
    env.put(variable, value);

    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage("invalid worker configuration: " + problem);
  }

  @Test
  void connectPatienceIsThirtySecondsUnlessSet() {
    assertThat(WorkerSettings.fromEnvironment(minimal()).connectPatience())
        .isEqualTo(Duration.ofSeconds(30));
    Map<String, String> env = minimal();
    env.put(WorkerSettings.CONNECT_PATIENCE, "5s");
    assertThat(WorkerSettings.fromEnvironment(env).connectPatience())
        .isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void aBadConnectPatienceIsReportedWithTheOtherProblems() {
    Map<String, String> env = minimal();
    env.remove(WorkerSettings.JOB_TOPIC);
    env.put(WorkerSettings.CONNECT_PATIENCE, "soon");

    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessage(
            "invalid worker configuration: CONDUCTOR_JOB_TOPIC is required;"
                + " CONDUCTOR_CONNECT_PATIENCE must be a non-negative duration such as 500ms, 2s, 1m or"
                + " PT2S, got 'soon'");
  }

  @Test
  void zeroGraceIsAllowed() {
    Map<String, String> env = minimal();
    env.put(WorkerSettings.SHUTDOWN_GRACE, "0s");

    assertThat(WorkerSettings.fromEnvironment(env).shutdownGrace()).isZero();
  }

  @Test
  void thePasswordNeverShowsInTextOrErrors() {
    assertThat(WorkerSettings.fromEnvironment(minimal()).toString()).doesNotContain(PASSWORD);
    Map<String, String> env = minimal();
    env.put(WorkerSettings.CAPACITY, "0");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .message()
        .doesNotContain(PASSWORD);
  }

  @Test
  void thePasswordMayComeFromAFileThatStaysOutOfTheEnvironment(@TempDir Path dir)
      throws IOException {
    Path file = Files.writeString(dir.resolve("bus-password"), PASSWORD + "\n");
    Map<String, String> env = minimal();
    env.remove(WorkerSettings.BUS_PASSWORD);
    env.put(WorkerSettings.BUS_PASSWORD_FILE, file.toString());

    assertThat(WorkerSettings.fromEnvironment(env).busAccess().credentials().password())
        .isEqualTo(PASSWORD);

    env.put(WorkerSettings.BUS_PASSWORD_FILE, dir.resolve("missing").toString());
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("CONDUCTOR_BUS_PASSWORD_FILE names a file that cannot be read");
  }

  @Test
  void theBusKindIsArtemisUnlessServiceBusIsNamed() {
    assertThat(WorkerSettings.fromEnvironment(minimal()).busKind()).isEqualTo("artemis");
    Map<String, String> env = minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    assertThat(WorkerSettings.fromEnvironment(env).busKind()).isEqualTo("servicebus");
    env.put(WorkerSettings.BUS_KIND, "kafka");
    assertThatThrownBy(() -> WorkerSettings.fromEnvironment(env))
        .isInstanceOf(InvalidConfigurationException.class)
        .hasMessageContaining("CONDUCTOR_BUS_KIND must be one of artemis, servicebus, got 'kafka'");
  }

  static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put(WorkerSettings.WORKER_ID, WORKER_ID);
    env.put(WorkerSettings.TENANT, "acme");
    env.put(WorkerSettings.BUS_URL, "tcp://127.0.0.1:61616");
    env.put(WorkerSettings.BUS_USER, "worker");
    env.put(WorkerSettings.BUS_PASSWORD, PASSWORD);
    env.put(WorkerSettings.JOB_TOPIC, "acme.jobs");
    env.put(WorkerSettings.CONTROL_QUEUE, "acme.control");
    return env;
  }
}
