package dev.conductor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A real conductor for the CLI's verbs to talk to: the embedded default with real worker processes
 * and short timers, plus a plan with a single job slot per tenant.
 */
final class LiveConductor {

  /** How long a test waits for the conductor or a worker; only reached when something is wrong. */
  static final Duration LIMIT = Duration.ofSeconds(90);

  /**
   * One worker per tenant running one job at a time, idle for minutes: while a long job holds the
   * slot, the tenant's next jobs stay QUEUED.
   */
  static final String ONE_SLOT = "one-slot";

  /** Long enough to outlast any test class; stopping the conductor stops its worker. */
  static final String BLOCKER = "{\"type\":\"sleep\",\"payload\":{\"ms\":600000}}";

  private LiveConductor() {}

  static RunningConductor start(Map<String, Object> overrides) {
    Map<String, Object> properties = new HashMap<>(FastTimers.properties());
    properties.put("conductor.plans." + ONE_SLOT + ".worker-capacity", 1);
    properties.put("conductor.plans." + ONE_SLOT + ".max-workers-per-key", 1);
    properties.put("conductor.plans." + ONE_SLOT + ".max-workers-per-tenant", 1);
    properties.put("conductor.plans." + ONE_SLOT + ".idle-timeout", "10m");
    properties.put("conductor.plans." + ONE_SLOT + ".max-attempts", 1);
    properties.put("conductor.plans." + ONE_SLOT + ".job-timeout", "15m");
    properties.put("conductor.plans." + ONE_SLOT + ".max-payload-bytes", 1024);
    properties.putAll(overrides);
    return RunningConductor.start(properties);
  }

  /** Stops the conductor (which deletes its home) and checks that no worker process is left. */
  static void stop(RunningConductor conductor) throws IOException {
    if (conductor == null) {
      return;
    }
    // close() waits for the worker processes and deletes the temporary home.
    conductor.close();
    assertThat(conductor.workerProcesses()).isEmpty();
  }

  /**
   * The environment of a shell pointed at the conductor; {@code home} keeps the CLI from reading an
   * operator token left in the user's own {@code ~/.conductor}.
   */
  static Map<String, String> environment(RunningConductor conductor, Path home) {
    Map<String, String> environment = new HashMap<>();
    environment.put("CONDUCTOR_HOME", home.toString());
    environment.put("CONDUCTOR_URL", conductor.url().toString());
    return environment;
  }
}
