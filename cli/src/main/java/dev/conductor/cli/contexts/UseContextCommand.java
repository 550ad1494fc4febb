package dev.conductor.cli.contexts;

import dev.conductor.cli.Contexts;
import dev.conductor.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(mixinStandardHelpOptions = true, description = "Make a saved context the current one.")
public final class UseContextCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The context's name.")
  String name;

  @Override
  public Integer call() {
    Contexts contexts = ContextVerb.contexts(spec);
    contexts.use(name);
    contexts.save();
    ContextVerb.say(spec, "Context '" + name + "' is current.");
    return ExitCodes.OK;
  }
}
