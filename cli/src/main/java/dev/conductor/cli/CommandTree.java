package dev.conductor.cli;

import dev.conductor.cli.admin.AdminCommand;
import dev.conductor.cli.admin.BackupCommand;
import dev.conductor.cli.admin.RestoreCommand;
import dev.conductor.cli.admin.RotateSecretsKeyCommand;
import dev.conductor.cli.audit.AuditCommand;
import dev.conductor.cli.contexts.ContextsCommand;
import dev.conductor.cli.contexts.DeleteContextCommand;
import dev.conductor.cli.contexts.ListContextsCommand;
import dev.conductor.cli.contexts.LoginCommand;
import dev.conductor.cli.contexts.UseContextCommand;
import dev.conductor.cli.jobs.CancelJobCommand;
import dev.conductor.cli.jobs.JobsCommand;
import dev.conductor.cli.jobs.ListJobsCommand;
import dev.conductor.cli.jobs.RerunJobCommand;
import dev.conductor.cli.jobs.ShowJobCommand;
import dev.conductor.cli.jobs.SubmitJobCommand;
import dev.conductor.cli.operations.CancelOperationCommand;
import dev.conductor.cli.operations.ListOperationsCommand;
import dev.conductor.cli.operations.OperationsCommand;
import dev.conductor.cli.operations.ShowOperationCommand;
import dev.conductor.cli.operators.CreateOperatorCommand;
import dev.conductor.cli.operators.ListOperatorsCommand;
import dev.conductor.cli.operators.OperatorsCommand;
import dev.conductor.cli.operators.RevokeOperatorCommand;
import dev.conductor.cli.tenants.CreateTenantCommand;
import dev.conductor.cli.tenants.DeleteTenantCommand;
import dev.conductor.cli.tenants.ListTenantsCommand;
import dev.conductor.cli.tenants.RefreshTenantCommand;
import dev.conductor.cli.tenants.ResumeTenantCommand;
import dev.conductor.cli.tenants.RetryTenantCommand;
import dev.conductor.cli.tenants.RotateKeyCommand;
import dev.conductor.cli.tenants.ShowTenantCommand;
import dev.conductor.cli.tenants.SuspendTenantCommand;
import dev.conductor.cli.tenants.TenantsCommand;
import dev.conductor.cli.tenants.UpdateTenantCommand;
import dev.conductor.cli.workers.DrainWorkerCommand;
import dev.conductor.cli.workers.ListWorkersCommand;
import dev.conductor.cli.workers.ShowWorkerCommand;
import dev.conductor.cli.workers.WorkerLogsCommand;
import dev.conductor.cli.workers.WorkersCommand;
import java.util.List;
import picocli.CommandLine;

/**
 * Every command's name and class, in the order the usage lists them, built into picocli only as far
 * as a command line reaches: picocli reflects over each command it is given, and building all 30
 * was a third of a command's start (docs/benchmarks.md, CLI latency). {@code conductor tenants
 * list} builds the root, {@code tenants} and {@code list}; usage and mistyped words build all.
 */
final class CommandTree {

  private record Verb(String name, Class<?> command) {}

  private record Group(String name, Class<?> command, List<Verb> verbs) {}

  private static final List<Group> GROUPS =
      List.of(
          new Group("server", ServerCommand.class, List.of()),
          new Group("demo", DemoCommand.class, List.of()),
          new Group(
              "tenants",
              TenantsCommand.class,
              List.of(
                  new Verb("create", CreateTenantCommand.class),
                  new Verb("list", ListTenantsCommand.class),
                  new Verb("show", ShowTenantCommand.class),
                  new Verb("delete", DeleteTenantCommand.class),
                  new Verb("retry", RetryTenantCommand.class),
                  new Verb("refresh", RefreshTenantCommand.class),
                  new Verb("update", UpdateTenantCommand.class),
                  new Verb("rotate-key", RotateKeyCommand.class),
                  new Verb("suspend", SuspendTenantCommand.class),
                  new Verb("resume", ResumeTenantCommand.class))),
          new Group(
              "operations",
              OperationsCommand.class,
              List.of(
                  new Verb("list", ListOperationsCommand.class),
                  new Verb("show", ShowOperationCommand.class),
                  new Verb("cancel", CancelOperationCommand.class))),
          new Group(
              "jobs",
              JobsCommand.class,
              List.of(
                  new Verb("submit", SubmitJobCommand.class),
                  new Verb("show", ShowJobCommand.class),
                  new Verb("list", ListJobsCommand.class),
                  new Verb("rerun", RerunJobCommand.class),
                  new Verb("cancel", CancelJobCommand.class))),
          new Group(
              "workers",
              WorkersCommand.class,
              List.of(
                  new Verb("list", ListWorkersCommand.class),
                  new Verb("show", ShowWorkerCommand.class),
                  new Verb("drain", DrainWorkerCommand.class),
                  new Verb("logs", WorkerLogsCommand.class))),
          new Group(
              "admin",
              AdminCommand.class,
              List.of(
                  new Verb("backup", BackupCommand.class),
                  new Verb("restore", RestoreCommand.class),
                  new Verb("rotate-secrets-key", RotateSecretsKeyCommand.class))),
          new Group(
              "operators",
              OperatorsCommand.class,
              List.of(
                  new Verb("create", CreateOperatorCommand.class),
                  new Verb("list", ListOperatorsCommand.class),
                  new Verb("revoke", RevokeOperatorCommand.class))),
          new Group("audit", AuditCommand.class, List.of()),
          new Group("login", LoginCommand.class, List.of()),
          new Group(
              "context",
              ContextsCommand.class,
              List.of(
                  new Verb("list", ListContextsCommand.class),
                  new Verb("use", UseContextCommand.class),
                  new Verb("delete", DeleteContextCommand.class))),
          new Group("version", VersionCommand.class, List.of()),
          new Group("completion", CompletionCommand.class, List.of()));

  private CommandTree() {}

  /**
   * Adds to {@code root} the group that {@code args} name and, in it, the verb they name; every
   * group, or every verb of the group, when the words name none (usage, a typo picocli suggests the
   * nearest name for).
   */
  static void addTo(CommandLine root, String... args) {
    List<Group> groups = GROUPS.stream().filter(group -> named(group.name(), args, 0)).toList();
    for (Group group : groups.isEmpty() ? GROUPS : groups) {
      CommandLine command = new CommandLine(group.command());
      List<Verb> verbs =
          group.verbs().stream().filter(verb -> named(verb.name(), args, 1)).toList();
      for (Verb verb : verbs.isEmpty() ? group.verbs() : verbs) {
        command.addSubcommand(verb.name(), verb.command());
      }
      root.addSubcommand(group.name(), command);
    }
  }

  private static boolean named(String name, String[] args, int position) {
    return args.length > position && args[position].equals(name);
  }
}
