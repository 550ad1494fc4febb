package dev.conductor.provisioning;

import java.util.List;
import java.util.Map;

/** How to start this tenant's workers: an OCI image or a local command, and their capacity. */
public record WorkerTemplate(
    String image, List<String> command, Map<String, String> environment, int capacity) {
  public WorkerTemplate {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }
}
