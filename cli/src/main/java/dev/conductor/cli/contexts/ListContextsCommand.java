package dev.conductor.cli.contexts;

import dev.conductor.cli.Contexts;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Table;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    description = "List the saved contexts; '*' marks the current one. Tokens are never shown.")
public final class ListContextsCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Contexts contexts = ContextVerb.contexts(spec);
    if (contexts.all().isEmpty()) {
      ContextVerb.say(spec, "No contexts; add one with: conductor login URL");
      return ExitCodes.OK;
    }
    String current = contexts.currentName().orElse("");
    Table table = new Table("CURRENT", "NAME", "SERVER");
    contexts
        .all()
        .forEach(
            (name, context) -> table.row(name.equals(current) ? "*" : "", name, context.server()));
    spec.commandLine().getOut().print(table.render());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
