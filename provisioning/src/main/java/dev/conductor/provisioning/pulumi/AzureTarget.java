package dev.conductor.provisioning.pulumi;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.conductor.provisioning.pulumi.InfrastructurePlan.BusTier;
import jakarta.annotation.Nullable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The shared Azure infrastructure tenant stacks build on, made once by the operator: a resource
 * group holding a PostgreSQL flexible server, a Service Bus namespace per tier in use and a
 * Container Apps environment.
 *
 * @param location Azure region of new resources, e.g. {@code westeurope}
 * @param resourceGroupName resource group of the shared resources and of every tenant resource
 * @param namePrefix starts globally unique names (dedicated PostgreSQL servers are DNS names): 2 to
 *     12 lowercase letters and digits, e.g. your company
 * @param postgresServerName the shared flexible server that hosts tenant databases
 * @param standardBusNamespace Service Bus namespace of Standard-tier plans, null if none uses it
 * @param premiumBusNamespace Service Bus namespace of Premium-tier plans, null if none uses it
 * @param containerAppsEnvironmentId resource id of the Container Apps environment
 * @param appImage the tenant app's image, the same for every tenant
 * @param appPort the port the tenant app listens on; ingress forwards HTTPS to it
 * @param registryServer registry of private images (e.g. {@code contoso.azurecr.io}), or null
 * @param registryIdentityId resource id of the user-assigned identity that may pull from {@code
 *     registryServer}; required with it, so no registry password is ever stored
 * @param workerLocations where workers may run besides the default job: location name (lowercase
 *     letters, digits, '-') to its region and Container Apps environment; each tenant gets one
 *     worker job per location there
 */
public record AzureTarget(
    String location,
    String resourceGroupName,
    String namePrefix,
    String postgresServerName,
    @Nullable String standardBusNamespace,
    @Nullable String premiumBusNamespace,
    String containerAppsEnvironmentId,
    String appImage,
    int appPort,
    @Nullable String registryServer,
    @Nullable String registryIdentityId,
    Map<String, WorkerLocation> workerLocations)
    implements StackTarget {

  public static final String KIND = "azure";
  private static final Pattern NAME_PREFIX = Pattern.compile("[a-z][a-z0-9]{1,11}");
  // Location names end up in Container Apps job names and tags.
  private static final Pattern LOCATION_NAME = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
  private static final String WORKER_LOCATIONS = "azureWorkerLocations";
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * One place workers run: an Azure region and the Container Apps environment there.
   *
   * @param region Azure region of the location's worker job, e.g. {@code eastus}
   * @param containerAppsEnvironmentId resource id of a Container Apps environment in that region
   */
  public record WorkerLocation(String region, String containerAppsEnvironmentId) {
    public WorkerLocation {
      requireText("region of a worker location", region);
      requireText("containerAppsEnvironmentId of a worker location", containerAppsEnvironmentId);
    }
  }

  /** A target whose workers run only in the default environment. */
  public AzureTarget(
      String location,
      String resourceGroupName,
      String namePrefix,
      String postgresServerName,
      @Nullable String standardBusNamespace,
      @Nullable String premiumBusNamespace,
      String containerAppsEnvironmentId,
      String appImage,
      int appPort,
      @Nullable String registryServer,
      @Nullable String registryIdentityId) {
    this(
        location,
        resourceGroupName,
        namePrefix,
        postgresServerName,
        standardBusNamespace,
        premiumBusNamespace,
        containerAppsEnvironmentId,
        appImage,
        appPort,
        registryServer,
        registryIdentityId,
        Map.of());
  }

  public AzureTarget {
    requireText("azureLocation", location);
    requireText("azureResourceGroup", resourceGroupName);
    requireText("azurePostgresServer", postgresServerName);
    requireText("azureContainerAppsEnvironmentId", containerAppsEnvironmentId);
    requireText("azureAppImage", appImage);
    if (namePrefix == null || !NAME_PREFIX.matcher(namePrefix).matches()) {
      throw new IllegalArgumentException(
          "azureNamePrefix must be 2 to 12 lowercase letters and digits, starting with a letter,"
              + " got '"
              + namePrefix
              + "'");
    }
    if (isBlank(standardBusNamespace) && isBlank(premiumBusNamespace)) {
      throw new IllegalArgumentException(
          "azureStandardBusNamespace or azurePremiumBusNamespace is required");
    }
    if (appPort < 1 || appPort > 65535) {
      throw new IllegalArgumentException("azureAppPort must be between 1 and 65535");
    }
    if (isBlank(registryServer) != isBlank(registryIdentityId)) {
      throw new IllegalArgumentException(
          "azureRegistryServer and azureRegistryIdentityId go together: the identity pulls from"
              + " the registry");
    }
    standardBusNamespace = isBlank(standardBusNamespace) ? null : standardBusNamespace;
    premiumBusNamespace = isBlank(premiumBusNamespace) ? null : premiumBusNamespace;
    registryServer = isBlank(registryServer) ? null : registryServer;
    registryIdentityId = isBlank(registryIdentityId) ? null : registryIdentityId;
    workerLocations = workerLocations == null ? Map.of() : workerLocations;
    for (String name : workerLocations.keySet()) {
      if (!LOCATION_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "worker location names are lowercase letters, digits and '-', got '" + name + "'");
      }
    }
    workerLocations = Collections.unmodifiableMap(new TreeMap<>(workerLocations));
  }

  @Override
  public String kind() {
    return KIND;
  }

  /** The namespace that holds the topics and queues of plans on {@code tier}. */
  public String busNamespace(BusTier tier) {
    String namespace = tier == BusTier.PREMIUM ? premiumBusNamespace : standardBusNamespace;
    if (namespace == null) {
      throw new IllegalArgumentException(
          "the plan uses the "
              + tier.azureName()
              + " bus tier, but azure"
              + tier.azureName()
              + "BusNamespace is not configured");
    }
    return namespace;
  }

  public boolean hasRegistry() {
    return registryServer != null;
  }

  /** Host name of the shared server in Azure's public cloud. */
  public String postgresServerHost() {
    return postgresServerName + ".postgres.database.azure.com";
  }

  @Override
  public Map<String, String> toConfig() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("azureLocation", location);
    config.put("azureResourceGroup", resourceGroupName);
    config.put("azureNamePrefix", namePrefix);
    config.put("azurePostgresServer", postgresServerName);
    putIfPresent(config, "azureStandardBusNamespace", standardBusNamespace);
    putIfPresent(config, "azurePremiumBusNamespace", premiumBusNamespace);
    config.put("azureContainerAppsEnvironmentId", containerAppsEnvironmentId);
    config.put("azureAppImage", appImage);
    config.put("azureAppPort", Integer.toString(appPort));
    putIfPresent(config, "azureRegistryServer", registryServer);
    putIfPresent(config, "azureRegistryIdentityId", registryIdentityId);
    if (!workerLocations.isEmpty()) {
      try {
        config.put(WORKER_LOCATIONS, JSON.writeValueAsString(workerLocations));
      } catch (JsonProcessingException e) {
        throw new IllegalStateException("cannot write worker locations as JSON", e);
      }
    }
    return config;
  }

  static AzureTarget fromConfig(StackConfigReader config) {
    return new AzureTarget(
        config.require("azureLocation"),
        config.require("azureResourceGroup"),
        config.require("azureNamePrefix"),
        config.require("azurePostgresServer"),
        config.optional("azureStandardBusNamespace").orElse(null),
        config.optional("azurePremiumBusNamespace").orElse(null),
        config.require("azureContainerAppsEnvironmentId"),
        config.require("azureAppImage"),
        config.requireInt("azureAppPort"),
        config.optional("azureRegistryServer").orElse(null),
        config.optional("azureRegistryIdentityId").orElse(null),
        workerLocations(config));
  }

  private static Map<String, WorkerLocation> workerLocations(StackConfigReader config) {
    String json = config.optional(WORKER_LOCATIONS).orElse(null);
    if (json == null) {
      return Map.of();
    }
    try {
      return JSON.readValue(json, new TypeReference<Map<String, WorkerLocation>>() {});
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "stack configuration "
              + TenantStackConfig.NAMESPACE
              + ":"
              + WORKER_LOCATIONS
              + " is not valid JSON of the right shape");
    }
  }

  private static void putIfPresent(Map<String, String> config, String key, @Nullable String value) {
    if (value != null) {
      config.put(key, value);
    }
  }

  private static void requireText(String key, @Nullable String value) {
    if (isBlank(value)) {
      throw new IllegalArgumentException(key + " is required");
    }
  }

  private static boolean isBlank(@Nullable String value) {
    return value == null || value.isBlank();
  }
}
