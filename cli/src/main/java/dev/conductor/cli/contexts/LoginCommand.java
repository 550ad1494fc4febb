package dev.conductor.cli.contexts;

import dev.conductor.api.client.OperationFilter;
import dev.conductor.cli.ConductorCli;
import dev.conductor.cli.ConnectionSettings;
import dev.conductor.cli.Contexts;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.InvalidInputException;
import jakarta.annotation.Nullable;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Save a conductor's URL and operator token as a context and make it current, so later"
          + " commands need neither --server nor --token. The token is checked against the"
          + " conductor first; nothing is saved if it is refused."
    })
public final class LoginCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "URL", description = "The conductor, e.g. https://conductor.example.com")
  String url;

  @Option(
      names = "--name",
      paramLabel = "NAME",
      description = "The context's name (default: the URL's host, and port if it has one).")
  @Nullable
  String name;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description =
          "Operator token (default: $CONDUCTOR_TOKEN, else asked for on the terminal without"
              + " echo).")
  @Nullable
  String token;

  @Option(
      names = "--ca-file",
      paramLabel = "PATH",
      description =
          "PEM file of the CA certificate(s) that trust this https conductor, saved with the"
              + " context (default: $CONDUCTOR_CA_FILE, else the JVM's trust store).")
  @Nullable
  String caFile;

  @Override
  public Integer call() {
    ConductorCli cli = (ConductorCli) spec.root().userObject();
    URI server = server();
    String secret = token(cli);
    // Any operator endpoint checks the token; one operation is the cheapest answer.
    ConnectionSettings settings;
    try {
      settings =
          new ConnectionSettings(server, Optional.of(secret)).withCaFile(caFile, cli.environment());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    settings.client().operations(new OperationFilter(null, null, null, null, null), 1, null);
    String context = name == null ? defaultName(server) : name;
    Contexts contexts = ContextVerb.contexts(spec);
    contexts.put(
        context,
        new Contexts.Context(
            server.toString(),
            secret,
            settings.caFile().map(file -> file.toAbsolutePath().toString()).orElse(null)));
    contexts.save();
    ContextVerb.say(spec, "Logged in to " + server + "; context '" + context + "' is current.");
    return ExitCodes.OK;
  }

  private URI server() {
    try {
      return ConnectionSettings.parseServerUrl(url.strip());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage(), e, null, url);
    }
  }

  private String token(ConductorCli cli) {
    String given = token != null ? token : cli.environment().get(ConnectionSettings.TOKEN_VARIABLE);
    if ((given == null || given.isBlank()) && cli.interactive()) {
      given = cli.readSecret("Operator token for " + url + ": ", spec.commandLine().getErr());
    }
    if (given == null || given.isBlank()) {
      throw new InvalidInputException(
          "no operator token: pass --token TOKEN or set " + ConnectionSettings.TOKEN_VARIABLE);
    }
    return given.strip();
  }

  private static String defaultName(URI server) {
    return server.getPort() == -1 ? server.getHost() : server.getHost() + "-" + server.getPort();
  }
}
