package dev.conductor.provisioner;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * {@code conductor.provisioning.pulumi.*}: the target whose program builds tenant stacks, where
 * their state lives and how its secrets are encrypted, and how many stack operations run at once.
 * An empty {@code backendUrl} keeps state in the conductor home; an empty {@code passphrase} (for
 * the {@code passphrase} secrets provider) is generated there.
 */
@ConfigurationProperties("conductor.provisioning.pulumi")
public record PulumiProvisioningSettings(
    @NotBlank String target,
    @Nullable String backendUrl,
    @NotBlank String secretsProvider,
    @Nullable String passphrase,
    @Min(1) int maxConcurrent,
    @Min(1) int lockAttempts,
    @NotNull Duration lockBackoff) {

  @Override
  public String toString() {
    return "PulumiProvisioningSettings[target="
        + target
        + ", backendUrl="
        + backendUrl
        + ", secretsProvider="
        + secretsProvider
        + "]";
  }
}
