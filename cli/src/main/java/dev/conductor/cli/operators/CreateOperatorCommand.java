package dev.conductor.cli.operators;

import dev.conductor.api.v1.CreateOperatorRequest;
import dev.conductor.api.v1.CreatedOperator;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Issue a named operator token; it is shown once, only its hash is kept.")
public final class CreateOperatorCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Parameters(
      paramLabel = "NAME",
      description = "Who will use it: a lowercase slug, shown in the audit log.")
  String name;

  @Option(
      names = "--role",
      paramLabel = "ROLE",
      required = true,
      description =
          "admin (everything), operator (tenants, jobs, workers, operations; not admin verbs) or"
              + " read-only (reads only).")
  String role;

  @Override
  public Integer call() {
    CreatedOperator issued =
        connection.client().createOperator(new CreateOperatorRequest(name, role));
    PrintWriter out = connection.out();
    if (connection.structured()) {
      out.print(connection.render(issued));
    } else {
      out.printf(
          "Operator token for '%s' (role %s):%n",
          Json.display(issued.name()), Json.display(issued.role()));
      out.println(Json.display(issued.token()));
      out.println("Store it now: it will not be shown again.");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
