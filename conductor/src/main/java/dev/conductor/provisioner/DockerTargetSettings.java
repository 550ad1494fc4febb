package dev.conductor.provisioner;

import dev.conductor.provisioning.pulumi.DockerTarget;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/** {@code conductor.provisioning.pulumi.docker.*}: the Docker engine tenant stacks go to. */
@ConfigurationProperties("conductor.provisioning.pulumi.docker")
public record DockerTargetSettings(
    @Nullable String network,
    @Nullable String postgresImage,
    @Nullable String appImage,
    @Nullable String publishedHost) {

  DockerTarget toTarget() {
    return new DockerTarget(network, postgresImage, appImage, publishedHost);
  }
}
