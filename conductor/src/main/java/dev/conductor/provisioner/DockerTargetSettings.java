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

  /** An absent setting reaches the target as empty text, which it rejects by name. */
  DockerTarget toTarget() {
    return new DockerTarget(
        text(network), text(postgresImage), text(appImage), text(publishedHost));
  }

  private static String text(@Nullable String setting) {
    return setting == null ? "" : setting;
  }
}
