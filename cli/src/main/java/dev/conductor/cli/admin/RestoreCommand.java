package dev.conductor.cli.admin;

import dev.conductor.cli.ConductorCli;
import dev.conductor.cli.InvalidInputException;
import dev.conductor.cli.ServerProcess;
import jakarta.annotation.Nullable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    mixinStandardHelpOptions = true,
    description = {
      "Restore a backup ('conductor admin backup') into a conductor home, or the external"
          + " database its settings name (datasources.default.url), that holds no state yet;"
          + " then start the conductor there. No conductor may run on it meanwhile.",
      "Run by conductor-server.jar (found as 'conductor server' finds it), with the same"
          + " environment: give it the backed-up conductor's secrets key (CONDUCTOR_SECRETS_KEY,"
          + " or its secret.key copied into the new home), or the restore is refused.",
      "Exits 0 when restored, 2 when refused (nothing is stored then)."
    })
public final class RestoreCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", description = "The backup's zip file.")
  Path file;

  @Option(
      names = "--home",
      paramLabel = "DIR",
      description =
          "The conductor home to restore into (default: $CONDUCTOR_HOME, else ~/.conductor).")
  @Nullable
  Path home;

  @Override
  public Integer call() throws InterruptedException {
    if (!Files.isRegularFile(file)) {
      throw new InvalidInputException(file + " is not a file");
    }
    ConductorCli cli = (ConductorCli) spec.root().userObject();
    Map<String, String> properties =
        home == null ? Map.of() : Map.of("conductor.home", home.toAbsolutePath().toString());
    return ServerProcess.start(
            cli.environment(), properties, List.of("restore", file.toAbsolutePath().toString()))
        .waitFor();
  }
}
