package dev.conductor.provisioning.pulumi;

import java.util.Map;

/**
 * Where stack state lives and how its secrets are encrypted: {@code url} is a Pulumi backend
 * ({@code file:///…} under the conductor home by default, {@code azblob://container} in
 * production), {@code secretsProvider} {@code passphrase} or e.g. {@code
 * azurekeyvault://vault.vault.azure.net/keys/conductor}. {@code environment} goes to every Pulumi
 * command (the passphrase, cloud credentials); {@link #toString()} shows only its keys.
 */
public record PulumiBackend(
    String project, String url, String secretsProvider, Map<String, String> environment) {

  public PulumiBackend {
    environment = Map.copyOf(environment);
  }

  @Override
  public String toString() {
    return "PulumiBackend[project="
        + project
        + ", url="
        + url
        + ", secretsProvider="
        + secretsProvider
        + ", environment="
        + environment.keySet()
        + "]";
  }
}
