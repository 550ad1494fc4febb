package dev.conductor.provisioning.pulumi.azure;

import static dev.conductor.provisioning.pulumi.TenantStackConfigs.AZURE;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.DEDICATED_PREMIUM;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.PASSWORD;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.SHARED_STANDARD;
import static dev.conductor.provisioning.pulumi.TenantStackConfigs.WORKER_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.test.Mocks;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.TenantName;
import dev.conductor.provisioning.pulumi.ProgramRun;
import dev.conductor.provisioning.pulumi.StackOutputs;
import dev.conductor.provisioning.pulumi.TenantStackConfig;
import dev.conductor.provisioning.pulumi.TenantStackConfigs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AzureTenantStackTest {
  private static final String SERVER = "azure-native:dbforpostgresql:Server";
  private static final String DATABASE = "azure-native:dbforpostgresql:Database";
  private static final String FIREWALL_RULE = "azure-native:dbforpostgresql:FirewallRule";
  private static final String TOPIC = "azure-native:servicebus:Topic";
  private static final String QUEUE = "azure-native:servicebus:Queue";
  private static final String CONTAINER_APP = "azure-native:app:ContainerApp";
  private static final String JOB = "azure-native:app:Job";
  private static final String CONTAINER_APP_NAME = "[a-z][a-z0-9-]{0,30}[a-z0-9]";

  @Test
  void sharedPlanPutsTheDatabaseOnTheSharedServer() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", SHARED_STANDARD));

    assertThat(run.resources())
        .extracting(r -> r.type)
        .containsExactlyInAnyOrder(DATABASE, TOPIC, QUEUE, CONTAINER_APP, JOB);
    assertThat(run.resource(DATABASE).inputs)
        .containsEntry("resourceGroupName", "conductor-rg")
        .containsEntry("serverName", "conductor-shared-pg")
        .containsEntry("databaseName", "tenant_acme");
  }

  @Test
  void dedicatedPlanGetsItsOwnServerOfThePlansSize() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", DEDICATED_PREMIUM));

    Map<String, Object> server = run.resource(SERVER).inputs;
    assertThat(server)
        .containsEntry("serverName", "contoso-acme-pg")
        .containsEntry("location", "westeurope")
        .containsEntry("version", AzureDatabase.POSTGRES_VERSION)
        .containsEntry("administratorLogin", "tenant_acme_owner")
        .containsEntry("sku", Map.of("name", "Standard_D2ds_v5", "tier", "GeneralPurpose"))
        .containsEntry("storage", Map.of("storageSizeGB", 128.0))
        .containsEntry("tags", Map.of("conductor-tenant", "acme", "conductor-plan", "enterprise"));
    assertThat(run.isSecretInput(SERVER, "database-server", "administratorLoginPassword")).isTrue();
    assertThat(run.resource(DATABASE).inputs).containsEntry("serverName", "contoso-acme-pg");
    assertThat(run.dependsOn(DATABASE, "database", SERVER, "database-server")).isTrue();
    assertThat(run.resource(FIREWALL_RULE).inputs)
        .containsEntry("serverName", "contoso-acme-pg")
        .containsEntry("startIpAddress", "0.0.0.0")
        .containsEntry("endIpAddress", "0.0.0.0");
  }

  @Test
  void dedicatedServerRefusesAPasswordAzureWouldRefuse() {
    TenantStackConfig weak =
        TenantStackConfig.of(
            TenantStackConfigs.spec("acme", "enterprise"),
            DEDICATED_PREMIUM,
            AZURE,
            "onlylowercaselettersandmore");

    ProgramRun run =
        ProgramRun.attempt(
            weak.toConfig(), weak.secretKeys(), AzureTenantStack::stack, args -> args);

    assertThat(run.resources(SERVER)).isEmpty();
    assertThat(String.join("\n", run.failures()))
        .contains("databasePassword of a dedicated server must mix")
        .doesNotContain("onlylowercaselettersandmore");
  }

  @Test
  void topicAndQueueGoToTheNamespaceOfThePlansBusTier() {
    ProgramRun standard = run(TenantStackConfigs.azure("acme", SHARED_STANDARD));
    ProgramRun premium = run(TenantStackConfigs.azure("acme", DEDICATED_PREMIUM));

    assertThat(standard.resource(TOPIC).inputs)
        .containsEntry("namespaceName", "conductor-sb-standard")
        .containsEntry("topicName", "tenant.acme.jobs")
        .containsEntry("requiresDuplicateDetection", true)
        .containsEntry("duplicateDetectionHistoryTimeWindow", "PT10M");
    assertThat(standard.resource(QUEUE).inputs)
        .containsEntry("namespaceName", "conductor-sb-standard")
        .containsEntry("queueName", "tenant.acme.control")
        .containsEntry("requiresDuplicateDetection", true);
    assertThat(premium.resource(TOPIC).inputs)
        .containsEntry("namespaceName", "conductor-sb-premium");
    assertThat(premium.resource(QUEUE).inputs)
        .containsEntry("namespaceName", "conductor-sb-premium");
  }

  @Test
  void appRunsInTheEnvironmentWithTheDatabasePasswordAsSecret() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", SHARED_STANDARD));

    Map<String, Object> app = run.resource(CONTAINER_APP).inputs;
    assertThat(app)
        .containsEntry("containerAppName", "acme-app")
        .containsEntry("managedEnvironmentId", AZURE.containerAppsEnvironmentId())
        .containsEntry("tags", Map.of("conductor-tenant", "acme", "conductor-plan", "starter"));
    assertThat(run.isSecretInput(CONTAINER_APP, "app", "configuration", "secrets", 0, "value"))
        .isTrue();
    Map<String, Object> configuration = map(app.get("configuration"));
    assertThat(list(configuration.get("secrets")))
        .containsExactly(Map.of("name", "database-password", "value", PASSWORD));
    assertThat(map(configuration.get("ingress")))
        .containsEntry("external", true)
        .containsEntry("targetPort", 8080.0);
    assertThat(list(configuration.get("registries")))
        .containsExactly(
            Map.of("server", "contoso.azurecr.io", "identity", AZURE.registryIdentityId()));
    Map<String, Object> container = map(list(map(app.get("template")).get("containers")).get(0));
    assertThat(container)
        .containsEntry("image", AZURE.appImage())
        .containsEntry("resources", Map.of("cpu", 0.25, "memory", "0.5Gi"));
    assertThat(list(container.get("env")))
        .contains(
            Map.of(
                "name",
                "DATABASE_HOST",
                "value",
                "conductor-shared-pg.postgres.database.azure.com"),
            Map.of("name", "DATABASE_USER", "value", "tenant_acme_owner"),
            Map.of("name", "DATABASE_PASSWORD", "secretRef", "database-password"))
        .noneMatch(env -> map(env).containsValue(PASSWORD));
  }

  @Test
  void workerJobHoldsTheTemplateWithItsEnvironmentAsSecrets() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", DEDICATED_PREMIUM));

    Map<String, Object> job = run.resource(JOB).inputs;
    assertThat(job)
        .containsEntry("jobName", "acme-worker")
        .containsEntry("environmentId", AZURE.containerAppsEnvironmentId())
        .containsEntry(
            "tags",
            Map.of(
                "conductor-tenant", "acme",
                "conductor-plan", "enterprise",
                "conductor-max-workers", "200",
                "conductor-workers", "acme"));
    Map<String, Object> configuration = map(job.get("configuration"));
    assertThat(configuration)
        .containsEntry("triggerType", "Manual")
        .containsEntry("replicaRetryLimit", 0.0)
        .containsEntry(
            "manualTriggerConfig", Map.of("parallelism", 1.0, "replicaCompletionCount", 1.0));
    assertThat(list(configuration.get("secrets")))
        .containsExactly(
            Map.of("name", "worker-env-0", "value", "info"),
            Map.of("name", "worker-env-1", "value", WORKER_TOKEN),
            Map.of("name", "conductor-bus-password", "value", "set-by-the-conductor"));
    assertThat(run.isSecretInput(JOB, "worker", "configuration", "secrets", 1, "value")).isTrue();
    assertThat(run.isSecretInput(JOB, "worker", "configuration", "secrets", 2, "value")).isTrue();
    Map<String, Object> container = map(list(map(job.get("template")).get("containers")).get(0));
    assertThat(container)
        .containsEntry("image", "ghcr.io/conductor/worker:1")
        .containsEntry("command", List.of("java", "-jar", "worker.jar"))
        .containsEntry("resources", Map.of("cpu", 2.0, "memory", "4Gi"));
    assertThat(list(container.get("env")))
        .containsExactly(
            Map.of("name", "LOG_LEVEL", "secretRef", "worker-env-0"),
            Map.of("name", "WORKER_TOKEN", "secretRef", "worker-env-1"),
            Map.of("name", "CONDUCTOR_BUS_PASSWORD", "secretRef", "conductor-bus-password"));
    assertThat(container).containsEntry("name", "worker");
  }

  @Test
  void eachWorkerLocationGetsAJobInItsEnvironmentAndRegionTaggedWithItsName() {
    ProgramRun run =
        run(TenantStackConfigs.azureInRegions("acme", TenantStackConfigs.DEDICATED_PREMIUM));

    Map<String, Object> unlocated = run.resource(JOB, "worker").inputs;
    Map<String, Object> us = run.resource(JOB, "worker-us").inputs;
    Map<String, Object> eu = run.resource(JOB, "worker-eu").inputs;

    assertThat(run.resources(JOB)).hasSize(3);
    assertThat(unlocated)
        .containsEntry("jobName", "acme-worker")
        .containsEntry("environmentId", AZURE.containerAppsEnvironmentId());
    assertThat(map(unlocated.get("tags"))).doesNotContainKey(AzureWorkerJob.LOCATION_TAG);
    assertThat(us)
        .containsEntry("jobName", AzureWorkerJob.name(new TenantName("acme"), "us"))
        .containsEntry("location", "eastus")
        .containsEntry("environmentId", TenantStackConfigs.EASTUS_ENVIRONMENT)
        .containsEntry(
            "tags",
            Map.of(
                "conductor-tenant", "acme",
                "conductor-plan", "enterprise",
                "conductor-max-workers", "200",
                "conductor-workers", "acme",
                "conductor-location", "us"));
    assertThat((String) us.get("jobName")).startsWith("acme-us-").matches(CONTAINER_APP_NAME);
    assertThat(eu)
        .containsEntry("jobName", AzureWorkerJob.name(new TenantName("acme"), "eu"))
        .containsEntry("location", "westeurope");
    assertThat(map(eu.get("tags"))).containsEntry(AzureWorkerJob.LOCATION_TAG, "eu");
    // Every job holds the same template and secrets: a located worker is the same worker.
    for (Map<String, Object> located : List.of(us, eu)) {
      assertThat(located.get("template")).isEqualTo(unlocated.get("template"));
      assertThat(located.get("configuration")).isEqualTo(unlocated.get("configuration"));
    }
  }

  @Test
  void longSlugsStayWithinContainerAppsLimits() {
    ProgramRun run =
        run(TenantStackConfigs.azure("abcdefghijklmnopqrstuvwxyz0123", SHARED_STANDARD));

    assertThat((String) run.resource(CONTAINER_APP).inputs.get("containerAppName"))
        .matches(CONTAINER_APP_NAME)
        .hasSizeLessThanOrEqualTo(32);
    assertThat((String) run.resource(JOB).inputs.get("jobName"))
        .matches(CONTAINER_APP_NAME)
        .hasSizeLessThanOrEqualTo(32);
  }

  @Test
  void sharedPlanOutputsTheProvisionedResourcesShape() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", SHARED_STANDARD));

    assertThat(run.isSecretOutput("databaseSecrets")).isTrue();
    assertThat(run.isSecretOutput("database")).isFalse();
    Map<String, Resource> resources = StackOutputs.toResources(run.outputValues());

    assertThat(resources).containsOnlyKeys("database", "queue", "app", "container");
    assertThat(resources.get("database"))
        .isEqualTo(
            new Resource(
                Map.of(
                    "host", "conductor-shared-pg.postgres.database.azure.com",
                    "port", "5432",
                    "database", "tenant_acme",
                    "role", "tenant_acme_owner"),
                Map.of("password", PASSWORD)));
    assertThat(resources.get("queue"))
        .isEqualTo(
            Resource.of(
                Map.of("jobTopic", "tenant.acme.jobs", "controlQueue", "tenant.acme.control")));
    assertThat(resources.get("app"))
        .isEqualTo(
            Resource.of(
                Map.of(
                    "credentialId", "cred-acme",
                    "jobsEndpoint", "https://conductor.example.com/v1/jobs",
                    "url", "https://acme-app.mock.azurecontainerapps.io")));
    assertThat(resources.get("container"))
        .isEqualTo(
            Resource.of(
                Map.of(
                    "image", "ghcr.io/conductor/worker:1",
                    "command", "java -jar worker.jar",
                    "capacity", "4",
                    "environment", "LOG_LEVEL,WORKER_TOKEN")));
  }

  @Test
  void dedicatedPlanOutputsTheDedicatedServersHost() {
    ProgramRun run = run(TenantStackConfigs.azure("acme", DEDICATED_PREMIUM));

    Resource database = StackOutputs.toResources(run.outputValues()).get("database");

    assertThat(database.identifiers())
        .containsEntry("host", "contoso-acme-pg.postgres.database.azure.com")
        .containsEntry("role", "tenant_acme_owner");
    assertThat(database.secrets()).containsEntry("password", PASSWORD);
  }

  @Test
  void refusesAStackConfiguredForAnotherTarget() {
    ProgramRun run =
        ProgramRun.attempt(
            TenantStackConfigs.docker("acme").toConfig(),
            Set.of(),
            AzureTenantStack::stack,
            args -> args);

    assertThat(run.resources()).isEmpty();
    assertThat(String.join("\n", run.failures()))
        .contains("configured for target docker, but this program deploys to AzureTarget");
  }

  private static ProgramRun run(TenantStackConfig config) {
    return ProgramRun.run(config, AzureTenantStack::stack, AzureTenantStackTest::computedState);
  }

  /**
   * What Azure computes: a server's name and host name, the app's ingress host name, and identities
   * as a map from id to principal (the inputs list the ids).
   */
  private static Mocks.ResourceArgs computedState(Mocks.ResourceArgs args) {
    Map<String, Object> state = new HashMap<>(args.inputs);
    if (args.type.equals(SERVER)) {
      state.put("name", args.inputs.get("serverName"));
      state.put(
          "fullyQualifiedDomainName",
          args.inputs.get("serverName") + ".postgres.database.azure.com");
    }
    if (args.inputs.get("identity") instanceof Map<?, ?> identity) {
      Map<String, Object> computed = new HashMap<>(map(identity));
      computed.put("userAssignedIdentities", Map.of(AZURE.registryIdentityId(), Map.of()));
      state.put("identity", computed);
    }
    if (args.type.equals(CONTAINER_APP)) {
      Map<String, Object> configuration = new HashMap<>(map(args.inputs.get("configuration")));
      Map<String, Object> ingress = new HashMap<>(map(configuration.get("ingress")));
      ingress.put("fqdn", args.inputs.get("containerAppName") + ".mock.azurecontainerapps.io");
      configuration.put("ingress", ingress);
      state.put("configuration", configuration);
    }
    return new Mocks.ResourceArgs(args.type, args.name, state, args.provider, args.id);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
