package dev.conductor.cli;

import dev.conductor.ConductorServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the conductor control plane in this process until it is stopped.")
public final class ServerCommand implements Callable<Integer> {

  @Override
  public Integer call() throws InterruptedException {
    ConductorServer.main(new String[0]);
    return ExitCodes.OK;
  }
}
