package dev.conductor.cli.tenants;

import dev.conductor.api.v1.RotatedKey;
import dev.conductor.cli.ConfirmOption;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(mixinStandardHelpOptions = true, description = "Issue a new API key for a tenant's apps.")
public final class RotateKeyCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin ConfirmOption confirmation;

  @Parameters(paramLabel = "NAME", description = "The tenant's name.")
  String name;

  @Override
  public Integer call() {
    confirmation.confirm(
        connection,
        "Rotate the API key of tenant '"
            + name
            + "'? Its apps are refused until they use the new key.");
    RotatedKey issued = connection.client().rotateKey(name);
    PrintWriter out = connection.out();
    if (connection.structured()) {
      out.print(connection.render(issued));
    } else {
      out.printf(
          "New API key for tenant '%s' (credential %s):%n",
          Json.display(issued.name()), Json.display(issued.credentialId()));
      out.println(Json.display(issued.apiKey()));
      out.println("Store it now: it will not be shown again.");
    }
    out.flush();
    return ExitCodes.OK;
  }
}
