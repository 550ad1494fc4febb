package dev.conductor.provisioning.pulumi.azure;

import com.pulumi.azurenative.app.ContainerApp;
import com.pulumi.azurenative.app.ContainerAppArgs;
import com.pulumi.azurenative.app.Job;
import com.pulumi.azurenative.app.JobArgs;
import com.pulumi.azurenative.app.inputs.ConfigurationArgs;
import com.pulumi.azurenative.app.inputs.ContainerArgs;
import com.pulumi.azurenative.app.inputs.ContainerResourcesArgs;
import com.pulumi.azurenative.app.inputs.EnvironmentVarArgs;
import com.pulumi.azurenative.app.inputs.IngressArgs;
import com.pulumi.azurenative.app.inputs.JobConfigurationArgs;
import com.pulumi.azurenative.app.inputs.JobConfigurationManualTriggerConfigArgs;
import com.pulumi.azurenative.app.inputs.JobTemplateArgs;
import com.pulumi.azurenative.app.inputs.ManagedServiceIdentityArgs;
import com.pulumi.azurenative.app.inputs.RegistryCredentialsArgs;
import com.pulumi.azurenative.app.inputs.ScaleArgs;
import com.pulumi.azurenative.app.inputs.SecretArgs;
import com.pulumi.azurenative.app.inputs.TemplateArgs;
import com.pulumi.core.Output;
import dev.conductor.provisioning.pulumi.AzureTarget;
import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.TenantStackConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The tenant app as a Container App and the worker template as a manually triggered Container Apps
 * Job, both in the shared environment. Secret values become container-app secrets that the
 * containers read through secret references, and stay Pulumi secrets.
 */
final class AzureContainers {
  static final String DATABASE_PASSWORD_SECRET = "database-password";
  static final String WORKER_ENV_SECRET_PREFIX = "worker-env-";

  /** Idle tenant apps scale to zero like idle workers: an idle tenant costs nothing. */
  private static final int APP_MIN_REPLICAS = 0;

  /**
   * Workers live until the conductor tears them down when idle; this caps a forgotten one.
   * Container Apps Jobs allow at most a day.
   */
  private static final int WORKER_REPLICA_TIMEOUT_SECONDS = 24 * 60 * 60;

  private AzureContainers() {}

  static ContainerApp app(
      TenantStackConfig config, AzureTarget azure, AzureNames names, Output<String> databaseHost) {
    InfrastructurePlan plan = config.infrastructure();
    ConfigurationArgs.Builder configuration =
        ConfigurationArgs.builder()
            .activeRevisionsMode("Single")
            .ingress(IngressArgs.builder().external(true).targetPort(azure.appPort()).build())
            .secrets(
                SecretArgs.builder()
                    .name(DATABASE_PASSWORD_SECRET)
                    .value(config.secretDatabasePassword())
                    .build());
    ContainerAppArgs.Builder app =
        ContainerAppArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .containerAppName(names.containerApp())
            .location(azure.location())
            .managedEnvironmentId(azure.containerAppsEnvironmentId())
            .template(
                TemplateArgs.builder()
                    .containers(
                        ContainerArgs.builder()
                            .name("app")
                            .image(azure.appImage())
                            .resources(resources(plan.appCpu(), plan.appMemory()))
                            .env(appEnvironment(config, names, databaseHost))
                            .build())
                    .scale(ScaleArgs.builder().minReplicas(APP_MIN_REPLICAS).build())
                    .build())
            .tags(config.tags());
    if (azure.hasRegistry()) {
      configuration.registries(registry(azure));
      app.identity(identity(azure));
    }
    return new ContainerApp("app", app.configuration(configuration.build()).build());
  }

  /** The default worker job, in the shared environment and the target's region. */
  static Job workerJob(TenantStackConfig config, AzureTarget azure) {
    return workerJob(
        config,
        azure,
        "",
        new AzureTarget.WorkerLocation(azure.location(), azure.containerAppsEnvironmentId()));
  }

  /**
   * The conductor's aca runtime starts one execution per worker (with the worker's GUID and
   * settings as overrides, its bus key through the job's secret) and enforces the plan's worker
   * limit itself; the job only holds the template. A located job ({@code location} not '') is in
   * that location's environment and region and tagged with its name. What both sides name is in
   * {@link AzureWorkerJob}.
   */
  static Job workerJob(
      TenantStackConfig config,
      AzureTarget azure,
      String location,
      AzureTarget.WorkerLocation where) {
    InfrastructurePlan plan = config.infrastructure();
    Map<String, String> secretNames = workerSecretNames(config);
    List<SecretArgs> secrets = new ArrayList<>();
    List<EnvironmentVarArgs> environment = new ArrayList<>();
    secretNames.forEach(
        (key, secretName) -> {
          secrets.add(
              SecretArgs.builder()
                  .name(secretName)
                  .value(Output.ofSecret(config.worker().environment().get(key)))
                  .build());
          environment.add(EnvironmentVarArgs.builder().name(key).secretRef(secretName).build());
        });
    // Declared here so that the template and every override reference a secret the job has.
    secrets.add(
        SecretArgs.builder()
            .name(AzureWorkerJob.BUS_PASSWORD_SECRET)
            .value(Output.ofSecret(AzureWorkerJob.BUS_PASSWORD_UNSET))
            .build());
    environment.add(
        EnvironmentVarArgs.builder()
            .name(AzureWorkerJob.BUS_PASSWORD_VARIABLE)
            .secretRef(AzureWorkerJob.BUS_PASSWORD_SECRET)
            .build());
    ContainerArgs.Builder container =
        ContainerArgs.builder()
            .name(AzureWorkerJob.CONTAINER)
            .image(config.worker().image())
            .resources(resources(plan.workerCpu(), plan.workerMemory()))
            .env(environment);
    if (!config.worker().command().isEmpty()) {
      container.command(config.worker().command());
    }
    JobConfigurationArgs.Builder configuration =
        JobConfigurationArgs.builder()
            .triggerType("Manual")
            .manualTriggerConfig(
                JobConfigurationManualTriggerConfigArgs.builder()
                    .parallelism(1)
                    .replicaCompletionCount(1)
                    .build())
            .replicaTimeout(WORKER_REPLICA_TIMEOUT_SECONDS)
            // A retried replica would come back with a GUID the conductor already counts as lost.
            .replicaRetryLimit(0)
            .secrets(secrets);
    JobArgs.Builder job =
        JobArgs.builder()
            .resourceGroupName(azure.resourceGroupName())
            .jobName(AzureWorkerJob.name(config.tenant(), location))
            .location(where.region())
            .environmentId(where.containerAppsEnvironmentId())
            .template(JobTemplateArgs.builder().containers(container.build()).build())
            .tags(workerTags(config, location));
    if (azure.hasRegistry()) {
      configuration.registries(registry(azure));
      job.identity(identity(azure));
    }
    return new Job(
        location.isEmpty() ? "worker" : "worker-" + location,
        job.configuration(configuration.build()).build());
  }

  /**
   * Container-app secret names are lowercase; numbering the sorted keys keeps names distinct even
   * for keys that differ only in case.
   */
  static Map<String, String> workerSecretNames(TenantStackConfig config) {
    Map<String, String> names = new TreeMap<>();
    int index = 0;
    for (String key : new TreeMap<>(config.worker().environment()).keySet()) {
      names.put(key, WORKER_ENV_SECRET_PREFIX + index++);
    }
    return names;
  }

  private static List<EnvironmentVarArgs> appEnvironment(
      TenantStackConfig config, AzureNames names, Output<String> databaseHost) {
    return List.of(
        value("CONDUCTOR_TENANT", config.tenant().value()),
        value("CONDUCTOR_CREDENTIAL_ID", config.app().credentialId()),
        value("CONDUCTOR_JOBS_ENDPOINT", config.app().jobsEndpoint()),
        EnvironmentVarArgs.builder().name("DATABASE_HOST").value(databaseHost).build(),
        value("DATABASE_PORT", Integer.toString(AzureTenantStack.POSTGRES_PORT)),
        value("DATABASE_NAME", names.database()),
        value("DATABASE_USER", names.administratorLogin()),
        EnvironmentVarArgs.builder()
            .name("DATABASE_PASSWORD")
            .secretRef(DATABASE_PASSWORD_SECRET)
            .build());
  }

  private static EnvironmentVarArgs value(String name, String value) {
    return EnvironmentVarArgs.builder().name(name).value(value).build();
  }

  private static ContainerResourcesArgs resources(double cpu, String memory) {
    return ContainerResourcesArgs.builder().cpu(cpu).memory(memory).build();
  }

  /** The limit is enforced by the conductor; the tag shows it to whoever looks at the job. */
  private static Map<String, String> workerTags(TenantStackConfig config, String location) {
    Map<String, String> tags = new HashMap<>(config.tags());
    tags.put(
        AzureWorkerJob.MAX_WORKERS_TAG,
        Integer.toString(config.infrastructure().maxWorkerReplicas()));
    tags.put(AzureWorkerJob.WORKERS_TAG, config.tenant().value());
    if (!location.isEmpty()) {
      tags.put(AzureWorkerJob.LOCATION_TAG, location);
    }
    return tags;
  }

  private static RegistryCredentialsArgs registry(AzureTarget azure) {
    return RegistryCredentialsArgs.builder()
        .server(azure.registryServer())
        .identity(azure.registryIdentityId())
        .build();
  }

  private static ManagedServiceIdentityArgs identity(AzureTarget azure) {
    return ManagedServiceIdentityArgs.builder()
        .type("UserAssigned")
        .userAssignedIdentities(azure.registryIdentityId())
        .build();
  }
}
