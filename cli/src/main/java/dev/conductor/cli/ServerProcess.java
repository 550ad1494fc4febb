package dev.conductor.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The conductor server as a child JVM ({@code java -jar conductor-server.jar}) on this terminal:
 * whatever ends the CLI stops the server first and waits for it, so no server outlives its command.
 */
public final class ServerProcess implements AutoCloseable {

  /** JVM options for the server, as the repository launcher takes them for the CLI. */
  static final String JAVA_OPTIONS_VARIABLE = "CONDUCTOR_JAVA_OPTS";

  private final Process process;
  private final Thread stopOnExit;

  private ServerProcess(Process process) {
    this.process = process;
    this.stopOnExit = new Thread(this::stop, "conductor-server-stop");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
  }

  /**
   * Starts the server's jar with the same standard streams as this CLI.
   *
   * @param properties system properties for the server ({@code -Dname=value}), which override its
   *     environment and application.yml
   * @throws ServerNotFoundException if there is no server jar
   */
  static ServerProcess start(Map<String, String> environment, Map<String, String> properties) {
    return start(environment, properties, List.of());
  }

  /** The same, with {@code arguments} for the server's {@code main} (e.g. {@code restore FILE}). */
  public static ServerProcess start(
      Map<String, String> environment, Map<String, String> properties, List<String> arguments) {
    Path jar = ServerJar.locate(environment, ServerJar.cliJar());
    List<String> command = new ArrayList<>();
    command.add(java());
    String options = environment.getOrDefault(JAVA_OPTIONS_VARIABLE, "").strip();
    if (!options.isEmpty()) {
      command.addAll(Arrays.asList(options.split("\\s+")));
    }
    properties.forEach((name, value) -> command.add("-D" + name + "=" + value));
    // The server stops when this CLI ends, even by SIGKILL, when no shutdown hook runs.
    command.add("-Dconductor.stop-with-parent=true");
    command.add("-jar");
    command.add(jar.toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      return new ServerProcess(builder.start());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  /** SIGTERM and SIGINT to this CLI stop the server in order; its exit code is then the CLI's. */
  void forwardStopSignals() {
    for (String name : List.of("TERM", "INT")) {
      try {
        sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> process.destroy());
      } catch (IllegalArgumentException e) {
        // The JVM keeps this signal (-Xrs): the shutdown hook still stops the server.
      }
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits for the server to end by itself and returns its exit code. */
  public int waitFor() throws InterruptedException {
    int code = process.waitFor();
    release();
    return code;
  }

  /** Asks the server to stop (SIGTERM), waits for it and returns its exit code. */
  int stop() {
    process.destroy();
    boolean interrupted = false;
    while (true) {
      try {
        int code = process.waitFor();
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
        return code;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
  }

  @Override
  public void close() {
    stop();
    release();
  }

  private void release() {
    try {
      Runtime.getRuntime().removeShutdownHook(stopOnExit);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running or about to: it stops the server.
    }
  }

  /** The java binary running this CLI, so the server runs on the same JDK. */
  private static String java() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
