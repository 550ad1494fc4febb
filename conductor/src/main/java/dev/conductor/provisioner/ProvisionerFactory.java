package dev.conductor.provisioner;

import dev.conductor.bus.WorkerBusEndpoint;
import dev.conductor.home.ConductorHome;
import dev.conductor.messaging.MessageBus;
import dev.conductor.messaging.servicebus.ServiceBusMessageBusProvider;
import dev.conductor.provisioning.Provisioner;
import dev.conductor.provisioning.local.LocalProvisioner;
import dev.conductor.provisioning.local.LocalProvisionerSettings;
import dev.conductor.provisioning.pulumi.AutomationStackEngine;
import dev.conductor.provisioning.pulumi.AzureTarget;
import dev.conductor.provisioning.pulumi.DockerTarget;
import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.PulumiBackend;
import dev.conductor.provisioning.pulumi.PulumiProvisioner;
import dev.conductor.provisioning.pulumi.PulumiSettings;
import dev.conductor.provisioning.pulumi.StackTarget;
import io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Chooses the Provisioner adapter by {@code conductor.provisioner.kind}. The local adapter creates
 * tenant databases on the conductor's own PostgreSQL server unless {@code
 * conductor.provisioning.local.admin-url} names another; the pulumi adapter runs one stack per
 * tenant, its state and workspaces under the conductor home unless configured otherwise.
 */
@Factory
class ProvisionerFactory {

  @Singleton
  @Requires(property = "conductor.provisioner.kind", value = "local", defaultValue = "local")
  Provisioner local(
      MessageBus bus,
      @Named("default") DatasourceConfiguration conductorDatasource,
      LocalProvisioningSettings settings) {
    return new LocalProvisioner(settings.server(conductorDatasource), bus);
  }

  /**
   * Tenant stacks through the Pulumi Automation API. Invalid target or plan settings stop the
   * conductor at startup with the setting named, rather than failing each tenant later.
   */
  @Singleton
  @Bean(preDestroy = "close")
  @Requires(property = "conductor.provisioner.kind", value = "pulumi")
  PulumiProvisioner pulumi(
      MessageBus bus,
      PulumiProvisioningSettings settings,
      BeanProvider<AzureTargetSettings> azure,
      List<AzureWorkerLocationSettings> azureWorkerLocations,
      BeanProvider<DockerTargetSettings> docker,
      List<PlanInfrastructureSettings> plans,
      WorkerBusEndpoint busEndpoint,
      ConductorHome home) {
    StackTarget target;
    LocalProvisionerSettings sharedDatabaseServer = null;
    switch (settings.target()) {
      case AzureTarget.KIND -> {
        requireAzureProvider();
        if (!busEndpoint.kind().equals(ServiceBusMessageBusProvider.KIND)) {
          throw new IllegalStateException(
              "the azure target needs conductor.bus.kind=servicebus: its programs put each"
                  + " tenant's job topic and control queue on Service Bus");
        }
        if (busEndpoint.topicShards() != 1) {
          throw new IllegalStateException(
              "the azure target makes one job topic per tenant: it does not support"
                  + " conductor.bus.servicebus.topic-shards above 1 yet");
        }
        AzureTarget azureTarget =
            configured("azure", () -> azure.get().toTarget(azureWorkerLocations));
        sharedDatabaseServer = configured("azure", () -> azure.get().sharedServer(azureTarget));
        target = azureTarget;
      }
      case DockerTarget.KIND -> target = configured("docker", () -> docker.get().toTarget());
      default ->
          throw new IllegalStateException(
              "conductor.provisioning.pulumi.target must be azure or docker, got '"
                  + settings.target()
                  + "'");
    }
    Map<String, InfrastructurePlan> infrastructure = new HashMap<>();
    for (PlanInfrastructureSettings plan : plans) {
      infrastructure.put(plan.name(), configured("plans." + plan.name(), plan::toPlan));
    }
    Path root = home.resolve("pulumi");
    Map<String, String> environment = new HashMap<>();
    if (settings.secretsProvider().equals("passphrase")) {
      environment.put(
          "PULUMI_CONFIG_PASSPHRASE",
          orIfBlank(settings.passphrase(), () -> home.secret("pulumi-passphrase")));
    }
    PulumiBackend backend =
        new PulumiBackend(
            "conductor-tenants",
            orIfBlank(settings.backendUrl(), () -> fileBackend(root.resolve("state"))),
            settings.secretsProvider(),
            environment);
    StackTarget chosen = target;
    return new PulumiProvisioner(
        target,
        plan -> onTheConductorsBus(chosen, plan, infrastructure, busEndpoint),
        new AutomationStackEngine(backend, System.getenv("PATH")),
        new PulumiSettings(
            root.resolve("workspaces"),
            settings.maxConcurrent(),
            settings.lockAttempts(),
            settings.lockBackoff()),
        bus,
        sharedDatabaseServer,
        Clock.systemUTC());
  }

  /**
   * A plan's infrastructure. On Azure its bus tier's namespace must be the one the conductor and
   * its workers use: one conductor serves one Service Bus namespace (docs/provisioning.md).
   */
  static InfrastructurePlan onTheConductorsBus(
      StackTarget target,
      String plan,
      Map<String, InfrastructurePlan> infrastructure,
      WorkerBusEndpoint bus) {
    InfrastructurePlan chosen = infrastructure.getOrDefault(plan, InfrastructurePlan.DEFAULTS);
    if (target instanceof AzureTarget azure) {
      String namespace = azure.busNamespace(chosen.busTier());
      if (!bus.url().equals(namespace) && !bus.url().startsWith(namespace + ".")) {
        throw new IllegalArgumentException(
            "plan "
                + plan
                + " puts its bus on the "
                + chosen.busTier().azureName()
                + " namespace "
                + namespace
                + ", but the conductor's bus is "
                + bus.url()
                + ": one conductor serves one Service Bus namespace");
      }
    }
    return chosen;
  }

  /** The default build leaves the 55 MB azure-native SDK out; say how to get it. */
  private static void requireAzureProvider() {
    try {
      Class.forName(
          "com.pulumi.azurenative.Provider", false, ProvisionerFactory.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "the azure target needs the azure-native provider SDK, which this build leaves out:"
              + " build with ./mvnw -Pazure package -pl cli -am (docs/provisioning.md)");
    }
  }

  private static <T> T configured(String section, Supplier<T> build) {
    try {
      return build.get();
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(
          "invalid conductor.provisioning.pulumi." + section + " settings: " + e.getMessage(), e);
    }
  }

  private static String fileBackend(Path state) {
    try {
      Files.createDirectories(state);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the Pulumi state directory " + state, e);
    }
    return state.toUri().toString();
  }

  /** The setting if given, else what {@code fallback} makes (only then: it may create files). */
  private static String orIfBlank(@Nullable String setting, Supplier<String> fallback) {
    return setting == null || setting.isBlank() ? fallback.get() : setting;
  }
}
