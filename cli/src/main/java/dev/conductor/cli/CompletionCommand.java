package dev.conductor.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Print a shell completion script for every command and option.",
      "bash: source <(conductor completion bash)   (or save it under"
          + " /etc/bash_completion.d/conductor)",
      "zsh:  source <(conductor completion zsh)"
    })
public final class CompletionCommand implements Callable<Integer> {

  /** The shells the script is for: zsh runs the bash script through its bashcompinit layer. */
  enum Shell {
    BASH,
    ZSH
  }

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "SHELL",
      defaultValue = "bash",
      description = "bash or zsh (default: bash).")
  Shell shell;

  @Override
  public Integer call() {
    ConductorCli cli = (ConductorCli) spec.root().userObject();
    // The whole tree, not the lazy one this command line built.
    CommandLine everything = ConductorCli.commandLine(cli.environment());
    String script = AutoComplete.bash("conductor", everything);
    if (shell == Shell.ZSH) {
      script =
          "autoload -U +X compinit && compinit\n"
              + "autoload -U +X bashcompinit && bashcompinit\n"
              + script;
    }
    spec.commandLine().getOut().print(script);
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
