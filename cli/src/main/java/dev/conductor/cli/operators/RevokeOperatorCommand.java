package dev.conductor.cli.operators;

import dev.conductor.cli.ConfirmOption;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
    mixinStandardHelpOptions = true,
    description = "Revoke a named operator token: refused from its next request on.")
public final class RevokeOperatorCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;
  @Mixin ConfirmOption confirmation;

  @Parameters(paramLabel = "NAME", description = "The operator's name.")
  String name;

  @Override
  public Integer call() {
    confirmation.confirm(
        connection, "Revoke operator '" + name + "'? Its token is refused from then on.");
    connection.client().revokeOperator(name);
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(Map.of("name", name, "revoked", true))
                : "Revoked operator '" + name + "': its token is refused from now on.\n");
    connection.out().flush();
    return ExitCodes.OK;
  }
}
