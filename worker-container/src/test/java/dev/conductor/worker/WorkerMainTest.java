package dev.conductor.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WorkerMainTest {

  @Test
  void badConfigurationExitsWithTwoAndOneLineOnStderr() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.remove(WorkerSettings.JOB_TOPIC);
    env.put(WorkerSettings.CAPACITY, "-1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = WorkerMain.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "conductor-worker: invalid worker configuration: CONDUCTOR_WORKER_CAPACITY must be a"
                + " whole number from 1 to 256, got '-1'; CONDUCTOR_JOB_TOPIC is required"
                + System.lineSeparator());
  }

  @Test
  void aBusWhoseAdapterIsMissingExitsWithTwoAndOneLineOnStderr() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    env.put(WorkerSettings.BUS_KIND, "servicebus");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = WorkerMain.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));

    assertThat(code).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "conductor-worker: CONDUCTOR_BUS_KIND is 'servicebus' but"
                + " conductor-messaging-servicebus is not on this worker's class path: run"
                + " conductor-worker-servicebus.jar"
                + System.lineSeparator());
  }

  @Test
  void unreachableBusIsFatal() {
    Map<String, String> env = WorkerSettingsTest.minimal();
    // Port 1 on loopback refuses connections at once.
    env.put(WorkerSettings.BUS_URL, "tcp://127.0.0.1:1");
    env.put(WorkerSettings.CONNECT_PATIENCE, "1s");
    ByteArrayOutputStream err = new ByteArrayOutputStream();

    int code = WorkerMain.run(env, new PrintStream(err, true, StandardCharsets.UTF_8));

    // How long it kept trying is BusConnectorTest's business; here: it gives up with a failure.
    assertThat(code).isEqualTo(1);
  }
}
