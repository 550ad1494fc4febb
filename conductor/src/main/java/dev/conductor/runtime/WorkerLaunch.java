package dev.conductor.runtime;

import io.micronaut.core.annotation.Nullable;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything needed to start one worker: its identity, the tenant's worker template (image or
 * command; empty means the built-in worker) and its environment, which holds bus credentials.
 */
public record WorkerLaunch(
    UUID workerId,
    String tenant,
    @Nullable String image,
    List<String> command,
    Map<String, String> environment) {

  public WorkerLaunch {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  @Override
  public String toString() {
    return "WorkerLaunch[workerId=" + workerId + ", tenant=" + tenant + "]";
  }
}
