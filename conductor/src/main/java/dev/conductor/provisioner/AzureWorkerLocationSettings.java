package dev.conductor.provisioner;

import dev.conductor.provisioning.pulumi.AzureTarget;
import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@code conductor.provisioning.pulumi.azure.worker-locations.<name>.*}: a place workers run on
 * Azure, a Container Apps environment ({@code container-apps-environment-id}) in its {@code
 * region}. One setting for both sides: the azure program makes each tenant a worker job per
 * location, and the aca runtime serves exactly these locations.
 */
@EachProperty("conductor.provisioning.pulumi.azure.worker-locations")
public record AzureWorkerLocationSettings(
    @Parameter String name, @Nullable String region, @Nullable String containerAppsEnvironmentId) {

  /** The target's view; an absent setting reaches it as empty text, which it rejects by name. */
  static Map<String, AzureTarget.WorkerLocation> toTarget(
      Collection<AzureWorkerLocationSettings> locations) {
    Map<String, AzureTarget.WorkerLocation> target = new LinkedHashMap<>();
    for (AzureWorkerLocationSettings location : locations) {
      target.put(
          location.name(),
          new AzureTarget.WorkerLocation(
              Objects.requireNonNullElse(location.region(), ""),
              Objects.requireNonNullElse(location.containerAppsEnvironmentId(), "")));
    }
    return target;
  }
}
