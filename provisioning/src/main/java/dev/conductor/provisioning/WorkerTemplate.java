package dev.conductor.provisioning;

import jakarta.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** How to start this tenant's workers: an OCI image or a local command, and their capacity. */
public record WorkerTemplate(
    @Nullable String image, List<String> command, Map<String, String> environment, int capacity) {
  public WorkerTemplate {
    command = List.copyOf(command);
    environment = Map.copyOf(environment);
  }

  /**
   * The identifiers of the {@code container} resource: the image if there is one, the command, the
   * capacity, and the environment's keys only, since its values may be secrets.
   */
  public Map<String, String> identifiers() {
    Map<String, String> identifiers = new LinkedHashMap<>();
    if (image != null) {
      identifiers.put("image", image);
    }
    identifiers.put("command", String.join(" ", command));
    identifiers.put("capacity", Integer.toString(capacity));
    identifiers.put("environment", String.join(",", new TreeSet<>(environment.keySet())));
    return identifiers;
  }
}
