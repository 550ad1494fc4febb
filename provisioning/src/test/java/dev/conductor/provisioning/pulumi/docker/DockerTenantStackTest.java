package dev.conductor.provisioning.pulumi.docker;

import static dev.conductor.provisioning.pulumi.TenantStackConfigs.PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.test.Mocks;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.pulumi.ProgramRun;
import dev.conductor.provisioning.pulumi.StackOutputs;
import dev.conductor.provisioning.pulumi.TenantStackConfigs;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DockerTenantStackTest {
  private static final String CONTAINER = "docker:index/container:Container";
  private static final String IMAGE = "docker:index/remoteImage:RemoteImage";
  private static final String VOLUME = "docker:index/volume:Volume";
  private static final int HOST_PORT = 55432;
  private static final List<Map<String, String>> LABELS =
      List.of(
          Map.of("label", "conductor-tenant", "value", "acme"),
          Map.of("label", "conductor-plan", "value", "starter"));

  @Test
  void declaresTheDatabaseTheAppAndTheWorkerImage() {
    ProgramRun run = run("acme");

    assertThat(run.resources())
        .extracting(r -> r.type + " " + r.name)
        .containsExactlyInAnyOrder(
            IMAGE + " postgres-image",
            VOLUME + " postgres-data",
            CONTAINER + " postgres",
            IMAGE + " app-image",
            CONTAINER + " app",
            IMAGE + " worker-image");
    assertThat(run.resource(IMAGE, "postgres-image").inputs).containsEntry("name", "postgres:17");
    assertThat(run.resource(IMAGE, "app-image").inputs)
        .containsEntry("name", "ghcr.io/contoso/tenant-app:1.4");
    assertThat(run.resource(IMAGE, "worker-image").inputs)
        .containsEntry("name", "ghcr.io/conductor/worker:1")
        .containsEntry("keepLocally", true);
  }

  @Test
  void postgresKeepsItsDataInAVolumeAndPublishesItsPort() {
    ProgramRun run = run("acme");

    Map<String, Object> postgres = run.resource(CONTAINER, "postgres").inputs;
    assertThat(postgres)
        .containsEntry("name", "conductor-acme-postgres")
        .containsEntry("image", "sha256:postgres:17")
        .containsEntry("ports", List.of(Map.of("internal", 5432.0)))
        .containsEntry("networksAdvanced", List.of(Map.of("name", "conductor")))
        .containsEntry(
            "volumes",
            List.of(
                Map.of(
                    "volumeName", "conductor-acme-pgdata",
                    "containerPath", "/var/lib/postgresql/data")));
    assertThat(list(postgres.get("labels"))).containsExactlyInAnyOrderElementsOf(LABELS);
    assertThat(list(run.resource(VOLUME).inputs.get("labels")))
        .containsExactlyInAnyOrderElementsOf(LABELS);
    assertThat(run.dependsOn(CONTAINER, "postgres", VOLUME, "postgres-data")).isTrue();
  }

  @Test
  void postgresGetsTheTenantRoleAndPasswordAsASecret() {
    ProgramRun run = run("acme");

    assertThat(run.resource(CONTAINER, "postgres").inputs.get("envs"))
        .isEqualTo(
            List.of(
                "POSTGRES_USER=tenant_acme_owner",
                "POSTGRES_PASSWORD=" + PASSWORD,
                "POSTGRES_DB=tenant_acme",
                "PGDATA=/var/lib/postgresql/data"));
    assertThat(run.isSecretInput(CONTAINER, "postgres", "envs")).isTrue();
  }

  @Test
  void theAppReachesItsDatabaseOnTheNetworkAndKeepsThePasswordSecret() {
    ProgramRun run = run("acme");

    Map<String, Object> app = run.resource(CONTAINER, "app").inputs;
    assertThat(app)
        .containsEntry("name", "conductor-acme-app")
        .containsEntry("memory", 512.0)
        .containsEntry("networksAdvanced", List.of(Map.of("name", "conductor")));
    assertThat(list(app.get("envs")))
        .contains(
            "CONDUCTOR_CREDENTIAL_ID=cred-acme",
            "CONDUCTOR_JOBS_ENDPOINT=https://conductor.example.com/v1/jobs",
            "DATABASE_HOST=conductor-acme-postgres",
            "DATABASE_PORT=5432",
            "DATABASE_PASSWORD=" + PASSWORD);
    assertThat(list(app.get("labels"))).containsExactlyInAnyOrderElementsOf(LABELS);
    assertThat(run.isSecretInput(CONTAINER, "app", "envs")).isTrue();
    assertThat(run.dependsOn(CONTAINER, "app", CONTAINER, "postgres")).isTrue();
  }

  @Test
  void outputsTheProvisionedResourcesShapeWithoutAQueue() {
    ProgramRun run = run("acme");

    assertThat(run.isSecretOutput("databaseSecrets")).isTrue();
    Map<String, Resource> resources = StackOutputs.toResources(run.outputValues());

    assertThat(resources).containsOnlyKeys("database", "app", "container");
    assertThat(resources.get("database"))
        .isEqualTo(
            new Resource(
                Map.of(
                    "host", "localhost",
                    "port", Integer.toString(HOST_PORT),
                    "database", "tenant_acme",
                    "role", "tenant_acme_owner"),
                Map.of("password", PASSWORD)));
    assertThat(resources.get("app"))
        .isEqualTo(
            Resource.of(
                Map.of(
                    "credentialId", "cred-acme",
                    "jobsEndpoint", "https://conductor.example.com/v1/jobs")));
    assertThat(resources.get("container").identifiers())
        .containsEntry("image", "ghcr.io/conductor/worker:1")
        .containsEntry("environment", "LOG_LEVEL,WORKER_TOKEN");
  }

  @Test
  void failsWhenDockerPublishedNoPort() {
    var config = TenantStackConfigs.docker("acme");

    ProgramRun run =
        ProgramRun.attempt(
            config.toConfig(), config.secretKeys(), DockerTenantStack::stack, args -> args);

    assertThat(String.join("\n", run.failures()))
        .contains("postgres container published no host port for 5432");
  }

  @Test
  void refusesAStackConfiguredForAnotherTarget() {
    var azure = TenantStackConfigs.azure("acme", TenantStackConfigs.SHARED_STANDARD);

    ProgramRun run =
        ProgramRun.attempt(azure.toConfig(), Set.of(), DockerTenantStack::stack, args -> args);

    assertThat(run.resources()).isEmpty();
    assertThat(String.join("\n", run.failures()))
        .contains("configured for target azure, but this program deploys to DockerTarget");
  }

  private static ProgramRun run(String slug) {
    return ProgramRun.run(
        TenantStackConfigs.docker(slug), DockerTenantStack::stack, DockerTenantStackTest::engine);
  }

  /** What the Docker engine computes: image ids and the host port it picked. */
  private static Mocks.ResourceArgs engine(Mocks.ResourceArgs args) {
    Map<String, Object> state = new HashMap<>(args.inputs);
    if (args.type.equals(IMAGE)) {
      state.put("imageId", "sha256:" + args.inputs.get("name"));
    }
    if (args.type.equals(CONTAINER) && args.name.equals("postgres")) {
      state.put("ports", List.of(Map.of("internal", 5432, "external", HOST_PORT)));
    }
    return new Mocks.ResourceArgs(args.type, args.name, state, args.provider, args.id);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object value) {
    return (List<Object>) value;
  }
}
