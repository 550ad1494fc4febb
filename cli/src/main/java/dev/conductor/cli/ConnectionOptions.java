package dev.conductor.cli;

import jakarta.annotation.Nullable;
import picocli.CommandLine.Option;

/** The options every verb that talks to a conductor shares: where, as whom, and in what format. */
public final class ConnectionOptions extends ServerOptions {

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Operator token (default: $CONDUCTOR_TOKEN, else the local server's"
              + " $CONDUCTOR_HOME/admin-token, CONDUCTOR_HOME defaulting to ~/.conductor).")
  @Nullable
  String token;

  // Resolved once per command: it reads the contexts and token files.
  private @Nullable ConnectionSettings resolved;

  @Override
  public ConnectionSettings settings() {
    if (resolved == null) {
      resolved =
          resolve(
              (server, environment) ->
                  ConnectionSettings.resolve(server, token, context, environment));
    }
    return resolved;
  }

  public boolean interactive() {
    return cli().interactive();
  }
}
