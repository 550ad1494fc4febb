package dev.conductor.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.conductor.home.InvalidSettingException;
import dev.conductor.plan.Plan;
import io.micronaut.core.annotation.Nullable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The registry of runtimes by kind. Its runtimes stand in for the beans a Micronaut context holds
 * (the lookup is the context's by-name lookup); the registry only picks, creates and refuses them.
 */
class WorkerRuntimesTest {
  private final List<String> created = new ArrayList<>();
  private final Map<String, WorkerRuntime> beans =
      Map.of("process", new Named("process"), "docker", new Named("docker"));

  private WorkerRuntimes registry(String defaultKind, Plan... plans) {
    return new WorkerRuntimes(
        defaultKind,
        List.of(plans),
        kind -> {
          created.add(kind);
          return Optional.ofNullable(beans.get(kind));
        },
        Set.of("docker", "process"));
  }

  @Test
  void aPlanWithoutRuntimeRunsOnTheDefaultAndNoOtherRuntimeIsCreated() {
    WorkerRuntimes runtimes = registry("process", plan("standard", null), plan("dev", null));

    assertThat(runtimes.kindOf(plan("standard", null))).isEqualTo("process");
    assertThat(runtimes.active()).containsOnlyKeys("process");
    assertThat(created).containsExactly("process");
  }

  @Test
  void eachPlanRunsOnTheRuntimeItNamesAndEachRuntimeIsCreatedOnce() {
    Plan boxed = plan("boxed", "docker");
    WorkerRuntimes runtimes =
        registry("process", plan("standard", null), boxed, plan("b2", "docker"));

    assertThat(runtimes.kindOf(boxed)).isEqualTo("docker");
    assertThat(runtimes.of("docker")).isSameAs(beans.get("docker"));
    assertThat(runtimes.of(runtimes.kindOf(plan("standard", null)))).isSameAs(beans.get("process"));
    assertThat(runtimes.active()).containsOnlyKeys("process", "docker");
    assertThat(created).containsExactly("process", "docker");
  }

  @Test
  void theDefaultKindIsTheConductorsOwn() {
    WorkerRuntimes runtimes = registry("docker", plan("standard", null), plan("local", "process"));

    assertThat(runtimes.kindOf(plan("standard", null))).isEqualTo("docker");
    assertThat(runtimes.kindOf(plan("local", "process"))).isEqualTo("process");
    // Worker rows from before runtimes were recorded ran on the default.
    assertThat(runtimes.kindOr(null)).isEqualTo("docker");
    assertThat(runtimes.kindOr("process")).isEqualTo("process");
  }

  @Test
  void aPlanNamingARuntimeThisConductorLacksStopsTheStartNamingPlanAndRuntimes() {
    assertThatThrownBy(() -> registry("process", plan("standard", null), plan("cloud", "aca")))
        .isInstanceOf(InvalidSettingException.class)
        .hasMessage(
            "plan 'cloud' (conductor.plans.cloud.runtime) names the worker runtime 'aca', which"
                + " this conductor does not have; runtimes: docker, process");
  }

  @Test
  void anUnknownDefaultKindStopsTheStartNamingTheSetting() {
    assertThatThrownBy(() -> registry("podman"))
        .hasMessageStartingWith(
            "conductor.runtime.kind (CONDUCTOR_RUNTIME_KIND) names the worker runtime 'podman'");
  }

  @Test
  void aWorkerRowOfAKindNoPlanNamesNowFindsItsRuntimeOnFirstUse() {
    WorkerRuntimes runtimes = registry("process", plan("standard", null));

    assertThat(runtimes.of("docker")).isSameAs(beans.get("docker"));
    assertThat(runtimes.active()).containsOnlyKeys("process", "docker");
    assertThatThrownBy(() -> runtimes.of("kubernetes"))
        .hasMessageContaining("'kubernetes', which this conductor does not have");
  }

  static Plan plan(String name, @Nullable String runtime) {
    return new Plan(
        name,
        2,
        2,
        4,
        Duration.ofSeconds(10),
        3,
        Duration.ofMinutes(1),
        65536,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        runtime,
        null,
        null);
  }

  /** A runtime that only has a name: the registry never starts a worker. */
  private record Named(String kind) implements WorkerRuntime {
    @Override
    public String start(WorkerLaunch launch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void stop(String runtimeRef, Duration grace) {}

    @Override
    public boolean isRunning(String runtimeRef) {
      return false;
    }

    @Override
    public Map<UUID, String> list() {
      return Map.of();
    }
  }
}
