package dev.conductor.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The options every verb that talks to a conductor shares: where, as whom, and in what format. */
public final class ConnectionOptions {

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
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Operator token (default: $CONDUCTOR_TOKEN, else the local server's"
              + " $CONDUCTOR_HOME/admin-token, CONDUCTOR_HOME defaulting to ~/.conductor).")
  String token;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      description = "table or json (default: table).")
  OutputFormat output = OutputFormat.TABLE;

  public ConnectionSettings settings() {
    try {
      return ConnectionSettings.resolve(server, token, cli().environment());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage(), e, null, server);
    }
  }

  public ConductorClient client() {
    return new ConductorClient(settings());
  }

  public boolean json() {
    return output == OutputFormat.JSON;
  }

  public boolean interactive() {
    return cli().interactive();
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
