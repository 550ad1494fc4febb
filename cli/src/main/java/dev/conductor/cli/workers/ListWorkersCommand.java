package dev.conductor.cli.workers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import java.util.StringJoiner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List live workers (STARTING, READY, DRAINING), newest first.")
public final class ListWorkersCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--tenant", paramLabel = "NAME", description = "Only this tenant's workers.")
  String tenant;

  @Option(
      names = "--all",
      description = "Include workers that ended (STOPPED, LOST), with the reason they stopped.")
  boolean all;

  @Override
  public Integer call() {
    JsonNode workers = connection.client().get(path(tenant, all));
    connection
        .out()
        .print(connection.json() ? Json.pretty(workers) + "\n" : WorkerFormat.list(workers, all));
    connection.out().flush();
    return ExitCodes.OK;
  }

  /** The workers of {@code tenant} (all tenants if null), and the ended ones too if {@code all}. */
  public static String path(String tenant, boolean all) {
    StringJoiner query = new StringJoiner("&", "?", "").setEmptyValue("");
    if (tenant != null) {
      query.add("tenant=" + ConductorClient.segment(tenant));
    }
    if (all) {
      query.add("all=true");
    }
    return WorkersCommand.WORKERS + query;
  }
}
