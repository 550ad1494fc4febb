package dev.conductor.cli.contexts;

import dev.conductor.cli.Contexts;
import dev.conductor.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    description = "Forget a saved context and its token; the conductor itself is not touched.")
public final class DeleteContextCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The context's name.")
  String name;

  @Override
  public Integer call() {
    Contexts contexts = ContextVerb.contexts(spec);
    contexts.remove(name);
    contexts.save();
    ContextVerb.say(spec, "Context '" + name + "' deleted.");
    return ExitCodes.OK;
  }
}
