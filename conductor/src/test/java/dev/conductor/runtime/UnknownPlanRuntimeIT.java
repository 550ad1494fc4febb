package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.home.InvalidSettingException;
import dev.conductor.testing.FastTimers;
import dev.conductor.testing.RunningConductor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runtime this conductor lacks, named by a plan or as the default, stops the real conductor's
 * start in one line naming the setting and the runtimes it has (found among its beans by name, as a
 * new runtime is), as other bad settings do.
 */
class UnknownPlanRuntimeIT {
  private static final String LACKS =
      "names the worker runtime 'podman', which this conductor does not have; runtimes: ";

  @TempDir Path home;

  @Test
  void aPlanNamingAnUnknownRuntimeStopsTheStart() {
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.home", home.resolve("plan").toString());
    properties.put("conductor.plans.tight.runtime", "podman");

    assertThatThrownBy(() -> RunningConductor.start(properties).close())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("plan 'tight' (conductor.plans.tight.runtime) " + LACKS)
        .hasMessageContaining("docker")
        .hasMessageContaining("process");
  }

  @Test
  void anUnknownDefaultRuntimeStopsTheStart() {
    Map<String, Object> properties = FastTimers.properties();
    properties.put("conductor.home", home.resolve("default").toString());
    properties.put("conductor.runtime.kind", "podman");

    assertThatThrownBy(() -> RunningConductor.start(properties).close())
        .isInstanceOf(InvalidSettingException.class)
        .hasMessageStartingWith("conductor.runtime.kind (CONDUCTOR_RUNTIME_KIND) " + LACKS);
  }
}
