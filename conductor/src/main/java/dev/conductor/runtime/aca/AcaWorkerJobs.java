package dev.conductor.runtime.aca;

import com.azure.core.exception.HttpResponseException;
import com.azure.resourcemanager.appcontainers.fluent.ContainerAppsApiClient;
import com.azure.resourcemanager.appcontainers.fluent.models.JobInner;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.azure.AzureWorkerJob;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tenants' worker jobs as the azure program made them: the default one and one per worker
 * location ({@code conductor.provisioning.pulumi.azure.worker-locations}, the setting the program
 * reads too), named by {@link AzureWorkerJob#name} and tagged {@link AzureWorkerJob#WORKERS_TAG}
 * (and {@link AzureWorkerJob#LOCATION_TAG} when located).
 */
final class AcaWorkerJobs {
  private final ContainerAppsApiClient arm;
  private final String resourceGroup;
  private final Set<String> locations;
  // Each job's outbound addresses as last read: they change only with its environment's network.
  private final Map<String, List<String>> outbound = new ConcurrentHashMap<>();

  AcaWorkerJobs(ContainerAppsApiClient arm, String resourceGroup, Collection<String> locations) {
    this.arm = arm;
    this.resourceGroup = resourceGroup;
    this.locations = Set.copyOf(new TreeSet<>(locations));
  }

  /** The configured locations; a job naming another is refused at submit. */
  Set<String> locations() {
    return locations;
  }

  /** The name of the tenant's job in {@code location} ('' is the default job). */
  static String nameOf(String tenant, String location) {
    return AzureWorkerJob.name(new TenantName(tenant), location);
  }

  /**
   * The tenant's job in the launch's location, as ARM holds it. A location not configured, or one
   * the tenant has no job in (provisioned before the location was added), fails with the reason.
   */
  JobInner of(String tenant, String location) {
    if (!location.isEmpty() && !locations.contains(location)) {
      throw new IllegalStateException(
          "the aca runtime serves no location '"
              + location
              + "' (conductor.provisioning.pulumi.azure.worker-locations); it serves: "
              + String.join(", ", new TreeSet<>(locations)));
    }
    String job = nameOf(tenant, location);
    JobInner definition;
    try {
      definition = arm.getJobs().getByResourceGroup(resourceGroup, job);
    } catch (HttpResponseException e) {
      if (e.getResponse() != null && e.getResponse().getStatusCode() == 404) {
        throw new IllegalStateException(
            "the Container Apps job "
                + job
                + " of tenant "
                + tenant
                + (location.isEmpty() ? "" : " in location " + location)
                + " is not in resource group "
                + resourceGroup
                + ": provision the tenant with the azure target"
                + (location.isEmpty() ? "" : " (again, since the location was added)"));
      }
      throw e;
    }
    String tagged = tags(definition).get(AzureWorkerJob.LOCATION_TAG);
    if (!location.equals(tagged == null ? "" : tagged)) {
      throw new IllegalStateException(
          "the Container Apps job "
              + job
              + " is tagged for location '"
              + (tagged == null ? "" : tagged)
              + "', not '"
              + location
              + "': re-provision the tenant");
    }
    outbound.put(
        job,
        definition.outboundIpAddresses() == null ? List.of() : definition.outboundIpAddresses());
    return definition;
  }

  /**
   * The addresses the tenant's job in {@code location} sends from ({@code outboundIpAddresses}),
   * comma-joined; empty where Azure lists none.
   */
  Optional<String> egressAddress(String tenant, String location) {
    List<String> addresses = outbound.get(nameOf(tenant, location));
    if (addresses == null) {
      of(tenant, location);
      addresses = outbound.getOrDefault(nameOf(tenant, location), List.of());
    }
    return addresses.isEmpty() ? Optional.empty() : Optional.of(String.join(",", addresses));
  }

  /** Every worker job of every tenant in the resource group, located or not, by its tag. */
  List<String> all() {
    List<String> jobs = new ArrayList<>();
    for (JobInner job : arm.getJobs().listByResourceGroup(resourceGroup)) {
      if (tags(job).containsKey(AzureWorkerJob.WORKERS_TAG)) {
        jobs.add(job.name());
      }
    }
    return jobs;
  }

  private static Map<String, String> tags(JobInner job) {
    return job.tags() == null ? Map.of() : job.tags();
  }
}
