package dev.conductor.cli.contexts;

import dev.conductor.cli.ConductorCli;
import dev.conductor.cli.ConnectionSettings;
import dev.conductor.cli.Contexts;
import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;

/** What the context verbs share: the contexts file of this CLI's home, and stdout. */
final class ContextVerb {
  private ContextVerb() {}

  static Contexts contexts(CommandSpec spec) {
    ConductorCli cli = (ConductorCli) spec.root().userObject();
    return Contexts.load(ConnectionSettings.home(cli.environment()));
  }

  static void say(CommandSpec spec, String line) {
    PrintWriter out = spec.commandLine().getOut();
    out.println(line);
    out.flush();
  }
}
