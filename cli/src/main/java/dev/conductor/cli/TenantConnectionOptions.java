package dev.conductor.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The options of verbs that act as a tenant's app on the job API: where, with which API key, and in
 * what format. The operator token plays no part here.
 */
public final class TenantConnectionOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Conductor URL (default: $CONDUCTOR_URL, else http://localhost:$MICRONAUT_SERVER_PORT"
              + " or 8080).")
  String server;

  @Option(
      names = "--api-key",
      paramLabel = "KEY",
      description =
          "The tenant's API key, as printed by 'conductor tenants create' (default:"
              + " $CONDUCTOR_API_KEY).")
  String apiKey;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "table or json (default: table).")
  OutputFormat output = OutputFormat.TABLE;

  /**
   * @throws ParameterException if the server URL is invalid or no API key is given (exit 2)
   */
  public ConnectionSettings settings() {
    ConnectionSettings settings;
    try {
      settings = ConnectionSettings.forTenant(server, apiKey, cli().environment());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e, null, server);
    }
    if (settings.token().isEmpty()) {
      throw new ParameterException(
          command.commandLine(),
          "no tenant API key: pass --api-key KEY or set " + ConnectionSettings.API_KEY_VARIABLE);
    }
    return settings;
  }

  public ConductorClient client() {
    return new ConductorClient(settings());
  }

  public boolean json() {
    return output == OutputFormat.JSON;
  }

  public PrintWriter out() {
    return command.commandLine().getOut();
  }

  public PrintWriter err() {
    return command.commandLine().getErr();
  }

  private ConductorCli cli() {
    return (ConductorCli) command.root().userObject();
  }
}
