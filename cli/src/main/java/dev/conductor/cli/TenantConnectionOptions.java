package dev.conductor.cli;

import dev.conductor.api.client.ConductorClient;
import jakarta.annotation.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of verbs that act as a tenant's app on the job API: where, with which API key, and in
 * what format. The operator token plays no part here.
 */
public final class TenantConnectionOptions extends ServerOptions {

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "The tenant's API key, as printed by 'conductor tenants create' (default:"
              + " $CONDUCTOR_API_KEY).")
  @Nullable
  String apiKey;

  // Resolved once per command: they read the contexts and token files.
  private @Nullable ConnectionSettings resolved;
  private @Nullable ConnectionSettings operator;

  /**
   * A client with the operator's credentials ({@code CONDUCTOR_TOKEN}, the context's, or the local
   * server's token), at the same server: for job verbs an operator runs with {@code --tenant}.
   *
   * @throws ParameterException if the server URL is invalid (exit 2)
   */
  public ConductorClient operatorClient() {
    if (operator == null) {
      operator =
          resolve(
              (server, environment) ->
                  ConnectionSettings.resolve(server, null, context, environment));
    }
    return operator.client();
  }

  /**
   * @throws ParameterException if the server URL is invalid or no API key is given (exit 2)
   */
  @Override
  public ConnectionSettings settings() {
    if (resolved != null) {
      return resolved;
    }
    ConnectionSettings settings =
        resolve(
            (server, environment) ->
                ConnectionSettings.forTenant(server, apiKey, context, environment));
    if (settings.token().isEmpty()) {
      throw usageError(
          "no tenant API key: pass --api-key KEY or set " + ConnectionSettings.API_KEY_VARIABLE);
    }
    resolved = settings;
    return settings;
  }
}
