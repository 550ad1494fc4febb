package dev.conductor.provisioning.pulumi.docker;

import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.docker.Container;
import com.pulumi.docker.ContainerArgs;
import com.pulumi.docker.RemoteImage;
import com.pulumi.docker.RemoteImageArgs;
import com.pulumi.docker.Volume;
import com.pulumi.docker.VolumeArgs;
import com.pulumi.docker.inputs.ContainerHealthcheckArgs;
import com.pulumi.docker.inputs.ContainerLabelArgs;
import com.pulumi.docker.inputs.ContainerNetworksAdvancedArgs;
import com.pulumi.docker.inputs.ContainerPortArgs;
import com.pulumi.docker.inputs.ContainerVolumeArgs;
import com.pulumi.docker.inputs.VolumeLabelArgs;
import com.pulumi.docker.outputs.ContainerPort;
import com.pulumi.resources.CustomResourceOptions;
import dev.conductor.provisioning.ResourceNames;
import dev.conductor.provisioning.pulumi.DockerTarget;
import dev.conductor.provisioning.pulumi.InfrastructurePlan;
import dev.conductor.provisioning.pulumi.StackOutputs;
import dev.conductor.provisioning.pulumi.TenantStackConfig;
import java.util.List;
import java.util.Optional;

/**
 * One tenant on a local Docker engine: its PostgreSQL in a container with a volume and a port
 * published on the host, its app container, and its worker image pulled ready for the conductor's
 * docker worker runtime. No queue: the conductor's own bus makes the topology.
 */
public final class DockerTenantStack {
  static final int POSTGRES_PORT = 5432;

  /** Set explicitly so the volume mount works with every postgres image, 18's new layout too. */
  static final String POSTGRES_DATA = "/var/lib/postgresql/data";

  private DockerTenantStack() {}

  public static void stack(Context ctx) {
    TenantStackConfig config = TenantStackConfig.from(ctx);
    DockerTarget docker = config.target(DockerTarget.class);
    DockerNames names = DockerNames.of(config.tenant());
    ResourceNames logical = config.names();

    Container postgres = postgres(config, docker, names, logical);
    app(config, docker, names, logical, postgres);
    new RemoteImage(
        "worker-image",
        RemoteImageArgs.builder().name(config.worker().image()).keepLocally(true).build());

    StackOutputs.exportDatabase(
        ctx,
        Output.of(docker.publishedHost()),
        postgres.ports().applyValue(DockerTenantStack::publishedPort),
        logical.database(),
        logical.role(),
        config.secretDatabasePassword());
    StackOutputs.export(
        ctx, StackOutputs.APP, Output.of(StackOutputs.appIdentifiers(config.app())));
    StackOutputs.exportContainer(ctx, config.worker());
  }

  /** The image makes the tenant role and database on first start, with the password given. */
  private static Container postgres(
      TenantStackConfig config, DockerTarget docker, DockerNames names, ResourceNames logical) {
    RemoteImage image =
        new RemoteImage(
            "postgres-image",
            RemoteImageArgs.builder().name(docker.postgresImage()).keepLocally(true).build());
    Volume data =
        new Volume(
            "postgres-data",
            VolumeArgs.builder()
                .name(names.postgresVolume())
                .labels(
                    config.tags().entrySet().stream()
                        .map(
                            tag ->
                                VolumeLabelArgs.builder()
                                    .label(tag.getKey())
                                    .value(tag.getValue())
                                    .build())
                        .toList())
                .build());
    Output<List<String>> environment =
        config
            .secretDatabasePassword()
            .applyValue(
                password ->
                    List.of(
                        "POSTGRES_USER=" + logical.role(),
                        "POSTGRES_PASSWORD=" + password,
                        "POSTGRES_DB=" + logical.database(),
                        "PGDATA=" + POSTGRES_DATA));
    return new Container(
        "postgres",
        ContainerArgs.builder()
            .name(names.postgresContainer())
            .image(image.imageId())
            .envs(environment)
            .volumes(
                ContainerVolumeArgs.builder()
                    .volumeName(data.name())
                    .containerPath(POSTGRES_DATA)
                    .build())
            // No external port: Docker picks a free one, so tenants on one machine never clash.
            .ports(ContainerPortArgs.builder().internal(POSTGRES_PORT).build())
            .networksAdvanced(network(docker))
            .healthcheck(
                ContainerHealthcheckArgs.builder()
                    .tests("CMD", "pg_isready", "-U", logical.role(), "-d", logical.database())
                    .interval("5s")
                    .timeout("5s")
                    .retries(12)
                    .build())
            .restart("unless-stopped")
            .labels(labels(config))
            .build());
  }

  private static void app(
      TenantStackConfig config,
      DockerTarget docker,
      DockerNames names,
      ResourceNames logical,
      Container postgres) {
    RemoteImage image =
        new RemoteImage(
            "app-image",
            RemoteImageArgs.builder().name(docker.appImage()).keepLocally(true).build());
    Output<List<String>> environment =
        config
            .secretDatabasePassword()
            .applyValue(
                password ->
                    List.of(
                        "CONDUCTOR_TENANT=" + config.tenant().value(),
                        "CONDUCTOR_CREDENTIAL_ID=" + config.app().credentialId(),
                        "CONDUCTOR_JOBS_ENDPOINT=" + config.app().jobsEndpoint(),
                        "DATABASE_HOST=" + names.postgresContainer(),
                        "DATABASE_PORT=" + POSTGRES_PORT,
                        "DATABASE_NAME=" + logical.database(),
                        "DATABASE_USER=" + logical.role(),
                        "DATABASE_PASSWORD=" + password));
    new Container(
        "app",
        ContainerArgs.builder()
            .name(names.appContainer())
            .image(image.imageId())
            .envs(environment)
            .memory(InfrastructurePlan.mebibytes(config.infrastructure().appMemory()))
            .networksAdvanced(network(docker))
            .restart("unless-stopped")
            .labels(labels(config))
            .build(),
        CustomResourceOptions.builder().dependsOn(postgres).build());
  }

  private static ContainerNetworksAdvancedArgs network(DockerTarget docker) {
    return ContainerNetworksAdvancedArgs.builder().name(docker.network()).build();
  }

  private static List<ContainerLabelArgs> labels(TenantStackConfig config) {
    return config.tags().entrySet().stream()
        .map(tag -> ContainerLabelArgs.builder().label(tag.getKey()).value(tag.getValue()).build())
        .toList();
  }

  /** Docker assigns the host port on create; a missing one means the engine published nothing. */
  private static String publishedPort(Optional<List<ContainerPort>> ports) {
    return ports.orElse(List.of()).stream()
        .filter(port -> port.internal() == POSTGRES_PORT)
        .flatMap(port -> port.external().stream())
        .findFirst()
        .map(String::valueOf)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "postgres container published no host port for " + POSTGRES_PORT));
  }
}
