package dev.conductor.cli.operators;

import dev.conductor.api.v1.OperatorView;
import dev.conductor.cli.Age;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.Table;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(
    mixinStandardHelpOptions = true,
    description = "List the built-in admin and every live named operator token, by name.")
public final class ListOperatorsCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Override
  public Integer call() {
    List<OperatorView> operators = connection.client().operators();
    connection
        .out()
        .print(
            connection.structured()
                ? connection.render(operators)
                : table(operators, Instant.now()));
    connection.out().flush();
    return ExitCodes.OK;
  }

  /** NAME, ROLE, CREATED, BY, LAST USED; the built-in admin has no row of its own to date. */
  static String table(List<OperatorView> operators, Instant now) {
    Table table = new Table("NAME", "ROLE", "CREATED", "BY", "LAST USED");
    for (OperatorView operator : operators) {
      table.row(
          Json.display(operator.name()),
          Json.display(operator.role()),
          operator.createdAt() == null ? "built-in" : Age.ago(operator.createdAt(), now),
          Json.display(operator.createdBy()),
          operator.createdAt() == null ? "-" : Age.ago(operator.lastUsedAt(), now));
    }
    return table.render();
  }
}
