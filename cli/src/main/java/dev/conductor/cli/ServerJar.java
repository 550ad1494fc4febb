package dev.conductor.cli;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code conductor server} finds the server's own jar: {@code CONDUCTOR_SERVER_JAR}, else
 * {@code conductor-server.jar} beside this CLI's jar (a distribution's {@code lib/}), else the
 * server module's build output in the repository checkout this CLI jar was built in.
 */
final class ServerJar {

  static final String VARIABLE = "CONDUCTOR_SERVER_JAR";
  static final String FILE = "conductor-server.jar";

  private ServerJar() {}

  /**
   * @param cliJar the jar this CLI runs from
   * @throws ServerNotFoundException naming every place it looked
   */
  static Path locate(Map<String, String> environment, Path cliJar) {
    String named = environment.get(VARIABLE);
    if (named != null && !named.isBlank()) {
      Path jar = Path.of(named).toAbsolutePath();
      if (!Files.isRegularFile(jar)) {
        throw new ServerNotFoundException(
            VARIABLE + " names " + jar + ", which is not a file: point it at conductor-server.jar");
      }
      return jar;
    }
    Path absolute = cliJar.toAbsolutePath();
    Path parent = absolute.getParent();
    // Only a root has no parent: then look in it.
    Path directory = parent == null ? absolute : parent;
    Path beside = directory.resolve(FILE);
    if (Files.isRegularFile(beside)) {
      return beside;
    }
    // cli/target/conductor.jar in a checkout: the server module builds conductor/target.
    Path checkout = directory.resolve("../../conductor/target").resolve(FILE).normalize();
    if (Files.isRegularFile(checkout)) {
      return checkout;
    }
    throw new ServerNotFoundException(
        "no conductor server jar: "
            + VARIABLE
            + " is not set and neither "
            + beside
            + " nor "
            + checkout
            + " exists; build it with ./mvnw package or set "
            + VARIABLE);
  }

  /** The jar (or classes directory) this CLI runs from. */
  static Path cliJar() {
    try {
      return Path.of(ServerJar.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot tell where the CLI runs from", e);
    }
  }
}
