package dev.conductor.cli;

import dev.conductor.ConductorServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The README's first command: starts a throwaway conductor on the embedded default, onboards a
 * tenant, shows its resources and offboards it, using the same verbs an operator would.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description =
        "Start an embedded conductor in a temporary home, onboard a demo tenant, show it, offboard"
            + " it, and clean up.")
public final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @ParentCommand ConductorCli cli;

  @Option(
      names = "--tenant",
      defaultValue = "demo",
      description = "Name of the demo tenant (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--keep-home",
      description = "Keep the temporary conductor home (database and broker data) afterwards.")
  boolean keepHome;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    Path home = Files.createTempDirectory("conductor-demo");
    out.println("==> starting an embedded conductor (PostgreSQL + Artemis) in " + home);
    out.flush();
    Map<String, Object> properties = new HashMap<>();
    properties.put("conductor.home", home.toString());
    properties.put("micronaut.server.port", -1);
    properties.put("conductor.bus.artemis.embedded-port", 0);
    properties.put("logger.levels.root", "WARN");
    int code;
    try (ConductorServer server = ConductorServer.start(properties)) {
      out.println("==> conductor listening on " + server.url());
      Map<String, String> environment = new HashMap<>(cli.environment());
      environment.put(ConnectionSettings.URL_VARIABLE, server.url().toString());
      environment.put(ConnectionSettings.TOKEN_VARIABLE, server.adminToken());
      environment.put(ConnectionSettings.HOME_VARIABLE, home.toString());
      code = step(environment, "tenants", "create", tenant, "--plan", "dev", "--wait");
      if (code == ExitCodes.OK) {
        code = step(environment, "tenants", "show", tenant);
      }
      if (code == ExitCodes.OK) {
        code = step(environment, "tenants", "delete", tenant, "--wait");
      }
      if (code == ExitCodes.OK) {
        code = step(environment, "tenants", "show", tenant);
      }
      out.println("==> stopping the conductor");
    } finally {
      if (!keepHome) {
        deleteRecursively(home);
      }
    }
    out.println(code == ExitCodes.OK ? "==> demo finished" : "==> demo failed (exit " + code + ")");
    return code;
  }

  private int step(Map<String, String> environment, String... args) {
    PrintWriter out = spec.commandLine().getOut();
    out.println();
    out.println("$ conductor " + String.join(" ", args));
    out.flush();
    CommandLine command = ConductorCli.commandLine(environment, cli.interactive());
    command.setOut(out);
    command.setErr(spec.commandLine().getErr());
    return command.execute(args);
  }

  private static void deleteRecursively(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
