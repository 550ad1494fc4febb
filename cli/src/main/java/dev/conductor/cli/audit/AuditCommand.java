package dev.conductor.cli.audit;

import dev.conductor.api.v1.AuditEventView;
import dev.conductor.api.v1.AuditPage;
import dev.conductor.cli.ConnectionOptions;
import dev.conductor.cli.ExitCodes;
import dev.conductor.cli.Json;
import dev.conductor.cli.PageOptions;
import dev.conductor.cli.Table;
import jakarta.annotation.Nullable;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Who did what to which tenant: every state-changing operator request, refused ones too,",
      "newest first, one page at a time (an admin's verb)."
    })
public final class AuditCommand implements Callable<Integer> {

  @Mixin ConnectionOptions connection;

  @Option(names = "--tenant", paramLabel = "NAME", description = "Only what was done to it.")
  @Nullable
  String tenant;

  @Option(names = "--actor", paramLabel = "NAME", description = "Only what this operator did.")
  @Nullable
  String actor;

  @Option(
      names = "--since",
      paramLabel = "TIME",
      description = "Only events since TIME: an instant or an age such as 2h or 7d.")
  @Nullable
  String since;

  @Mixin PageOptions paging;

  @Override
  public Integer call() {
    AuditPage page =
        connection.client().audit(tenant, actor, since, paging.limit(), paging.cursor());
    connection
        .out()
        .print(connection.structured() ? connection.render(page) : table(page, filters()));
    connection.out().flush();
    return ExitCodes.OK;
  }

  /** AT, ACTOR, ROLE, ACTION, TENANT, STATUS, and the command for the next page. */
  static String table(AuditPage page, String moreArgs) {
    if (page.items().isEmpty()) {
      return "No audit events found.\n";
    }
    Table table = new Table("AT", "ACTOR", "ROLE", "ACTION", "TENANT", "STATUS");
    for (AuditEventView event : page.items()) {
      table.row(
          Json.display(event.at()),
          Json.display(event.actor()),
          Json.display(event.role()),
          Json.display(event.action()),
          Json.display(event.tenant()),
          Json.display(event.status()));
    }
    String next = page.nextCursor();
    return table.render()
        + (next == null ? "" : "\nMore: conductor audit --cursor " + next + moreArgs + "\n");
  }

  /** The flags to repeat in the hint for the next page. */
  private String filters() {
    StringBuilder flags = new StringBuilder();
    flag(flags, "--tenant", tenant);
    flag(flags, "--actor", actor);
    flag(flags, "--since", since);
    return flags + paging.limitFlag();
  }

  private static void flag(StringBuilder flags, String name, @Nullable String value) {
    if (value != null) {
      flags.append(' ').append(name).append(' ').append(value);
    }
  }
}
