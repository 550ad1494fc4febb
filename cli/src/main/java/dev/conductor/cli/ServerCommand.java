package dev.conductor.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Run the conductor control plane until it is stopped (SIGTERM or Ctrl-C), as a child"
          + " process started from conductor-server.jar: $CONDUCTOR_SERVER_JAR, else beside this"
          + " CLI's jar, else conductor/target in the repository checkout it was built in.",
      "Exits with the server's exit code: 2 if it cannot start as configured."
    })
public final class ServerCommand implements Callable<Integer> {

  @ParentCommand ConductorCli cli;

  @Override
  public Integer call() throws InterruptedException {
    ServerProcess server = ServerProcess.start(cli.environment(), Map.of());
    server.forwardStopSignals();
    return server.waitFor();
  }
}
