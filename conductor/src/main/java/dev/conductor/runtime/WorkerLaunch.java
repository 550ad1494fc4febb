package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything needed to start one worker: its identity (with the affinity key and generation it was
 * started for, which a container runtime puts on its labels), the tenant's worker template (image
 * or command; empty means the built-in worker), its environment, which holds bus credentials, its
 * plan's limits and its location ('' is none: the runtime's default place).
 */
public record WorkerLaunch(
    UUID workerId,
    String tenant,
    @Nullable String image,
    List<String> command,
    Map<String, String> environment,
    String affinityKey,
    long generation,
    WorkerLimits limits,
    String location) {

  public WorkerLaunch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /** A launch with no location. */
  public WorkerLaunch(
      UUID workerId,
      String tenant,
      @Nullable String image,
      List<String> command,
      Map<String, String> environment,
      String affinityKey,
      long generation,
      WorkerLimits limits) {
    this(workerId, tenant, image, command, environment, affinityKey, generation, limits, "");
  }

  /** A launch with the runtime's own limits. */
  public WorkerLaunch(
      UUID workerId,
      String tenant,
      @Nullable String image,
      List<String> command,
      Map<String, String> environment,
      String affinityKey,
      long generation) {
    this(workerId, tenant, image, command, environment, affinityKey, generation, WorkerLimits.NONE);
  }

  /** A launch without an affinity key, at generation 0 (stand-in workers). */
  public WorkerLaunch(
      UUID workerId,
      String tenant,
      @Nullable String image,
      List<String> command,
      Map<String, String> environment) {
    this(workerId, tenant, image, command, environment, "", 0, WorkerLimits.NONE);
  }

  @Override
  public String toString() {
    return "WorkerLaunch[workerId=" + workerId + ", tenant=" + tenant + "]";
  }
}
