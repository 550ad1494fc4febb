package dev.conductor.cli;

import dev.conductor.api.client.ConductorClient;
import jakarta.annotation.Nullable;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * What {@link ConnectionOptions} and {@link TenantConnectionOptions} share: the server, the output
 * format and the command's streams. Picocli reads the annotated fields of this superclass along
 * with the subclass's own.
 */
public abstract class ServerOptions {

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--server",
      paramLabel = "URL",
      description =
          "Conductor URL (default: $CONDUCTOR_URL, else the URL a running local server recorded"
              + " in $CONDUCTOR_HOME/server.json, else http://localhost:$MICRONAUT_SERVER_PORT"
              + " or 8080).")
  @Nullable
  String server;

  @Option(
      names = "--context",
      paramLabel = "NAME",
      description =
          "A context from 'conductor login' for this command only, instead of the current one.")
  @Nullable
  String context;

  @Option(
      names = "--ca-file",
      paramLabel = "PATH",
      description =
          "PEM file of the CA certificate(s) to trust for an https server, instead of the JVM's"
              + " (default: $CONDUCTOR_CA_FILE, else for a local server the certificate it"
              + " generated in $CONDUCTOR_HOME/tls/self-signed.pem).")
  @Nullable
  String caFile;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table, json, yaml or name (default: table).")
  OutputFormat output = OutputFormat.TABLE;

  /** How a subclass turns the server option and the environment into settings. */
  interface Resolver {
    /**
     * @throws IllegalArgumentException if the server URL is invalid
     */
    ConnectionSettings resolve(@Nullable String server, Map<String, String> environment);
  }

  public abstract ConnectionSettings settings();

  public ConductorClient client() {
    return settings().client();
  }

  /** Whether the answer is for a script (json, yaml, name): the verb's table is not printed. */
  public boolean structured() {
    return output != OutputFormat.TABLE;
  }

  /** The answer as {@code --output} asks for it, ending in a newline. */
  public String render(@Nullable Object answer) {
    return output.render(answer);
  }

  public PrintWriter out() {
    return command.commandLine().getOut();
  }

  public PrintWriter err() {
    return command.commandLine().getErr();
  }

  /**
   * @throws ParameterException if the server URL is invalid (exit 2)
   */
  ConnectionSettings resolve(Resolver resolver) {
    try {
      Map<String, String> environment = cli().environment();
      ConnectionSettings settings = resolver.resolve(server, environment);
      try {
        return settings.withCaFile(caFile, environment);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(command.commandLine(), e.getMessage(), e);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e, null, server);
    }
  }

  /** A usage error (exit 2) of this command. */
  public ParameterException usageError(String message) {
    return new ParameterException(command.commandLine(), message);
  }

  ConductorCli cli() {
    return (ConductorCli) command.root().userObject();
  }
}
