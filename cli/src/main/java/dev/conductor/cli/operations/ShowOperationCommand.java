package dev.conductor.cli.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    name = "show",
    mixinStandardHelpOptions = true,
    description = "Show an operation's status and the events it recorded.")
public final class ShowOperationCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The operation id.")
  String id;

  @Override
  public Integer call() {
    JsonNode operation = connection.client().get("/v1/operations/" + ConductorClient.segment(id));
    connection
        .out()
        .print(
            connection.json() ? Json.pretty(operation) + "\n" : OperationFormat.detail(operation));
    connection.out().flush();
    return ExitCodes.OK;
  }
}
