package dev.conductor.provisioner;

import dev.conductor.provisioning.pulumi.DockerTarget;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import java.util.Objects;

/** {@code conductor.provisioning.pulumi.docker.*}: the Docker engine tenant stacks go to. */
@ConfigurationProperties("conductor.provisioning.pulumi.docker")
public record DockerTargetSettings(
    @Nullable String network,
    @Nullable String postgresImage,
    @Nullable String appImage,
    @Nullable String publishedHost) {

  /** An absent setting reaches the target as empty text, which it rejects by name. */
  DockerTarget toTarget() {
    return new DockerTarget(
        Objects.requireNonNullElse(network, ""),
        Objects.requireNonNullElse(postgresImage, ""),
        Objects.requireNonNullElse(appImage, ""),
        Objects.requireNonNullElse(publishedHost, ""));
  }
}
