package dev.conductor.cli.operations;

import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Show an operation's status and the events it recorded. With --wait, follow its events"
          + " until it ends: exit 0 if it SUCCEEDED, 1 if it FAILED or was CANCELLED."
    })
public final class ShowOperationCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin WaitOption wait;

  @Parameters(paramLabel = "ID", description = "The operation id.")
  String id;

  @Override
  public Integer call() {
    ConductorClient client = connection.client();
    if (wait.requested()) {
      // Fails with "not found" (exit 3) before following an id the server does not know.
      client.operation(id);
      Outcome outcome = wait.follow(connection, id);
      if (connection.structured()) {
        print(client.operation(id));
      }
      WaitOption.report(connection, id, outcome, "");
      return ExitCodes.OK;
    }
    print(client.operation(id));
    return ExitCodes.OK;
  }

  private void print(OperationView operation) {
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(operation)
                : OperationFormat.detail(operation));
    connection.out().flush();
  }
}
