package dev.conductor.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Where the product jars and the test logs are, and the clean environment child processes get. */
final class E2e {

  private E2e() {}

  /** The shaded {@code conductor} jar under test, passed by failsafe as {@code conductor.jar}. */
  static Path jar() {
    Path jar =
        Path.of(System.getProperty("conductor.jar", "target/conductor.jar")).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: build it with ./mvnw -pl cli -am package -DskipTests");
    }
    return jar;
  }

  /**
   * The server's jar that {@code conductor server} runs, found by the CLI in the checkout it was
   * built in; passed by failsafe as {@code conductor.server.jar}.
   */
  static Path serverJar() {
    Path jar =
        Path.of(
                System.getProperty(
                    "conductor.server.jar", "../conductor/target/conductor-server.jar"))
            .toAbsolutePath()
            .normalize();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: build it with ./mvnw -pl conductor,cli -am package -DskipTests");
    }
    return jar;
  }

  /** The java binary running this test, so children run on the same JDK. */
  static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }

  /** target/e2e: server logs and captured CLI output, kept after the run for diagnosis. */
  static Path outputDirectory() {
    Path directory = jar().getParent().resolve("e2e");
    try {
      return Files.createDirectories(directory);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * This JVM's environment without the variables the conductor and its CLI read, so a developer's
   * own CONDUCTOR_TOKEN or CONDUCTOR_URL cannot leak into a test; then {@code overrides}.
   */
  static Map<String, String> environment(
      Map<String, String> inherited, Map<String, String> overrides) {
    Map<String, String> environment = new HashMap<>(inherited);
    environment
        .keySet()
        .removeIf(name -> name.startsWith("CONDUCTOR_") || name.startsWith("MICRONAUT_"));
    environment.putAll(overrides);
    return environment;
  }

  /** A port nothing listens on right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void deleteRecursively(Path root) {
    if (root == null || !Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      List<Path> all = paths.sorted(Comparator.reverseOrder()).toList();
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      System.err.println("could not delete " + root + ": " + e);
    }
  }
}
