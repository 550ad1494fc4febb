package dev.conductor.cli.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the {@code conductor} command as a user would: {@code java -jar conductor.jar ARGS}. */
final class CliProcess {

  static final Duration TIMEOUT = Duration.ofSeconds(120);

  private CliProcess() {}

  /** What one run of the command left: its exit code and everything it printed. */
  record Result(List<String> command, int exitCode, String out, String err) {

    List<String> outLines() {
      return out.lines().toList();
    }

    List<String> errLines() {
      return err.lines().toList();
    }

    @Override
    public String toString() {
      return "$ conductor "
          + String.join(" ", command)
          + "\nexit "
          + exitCode
          + "\n--- stdout ---\n"
          + out
          + "--- stderr ---\n"
          + err
          + "--------------";
    }
  }

  /**
   * Runs the command with {@code environment} as its only CONDUCTOR_* and MICRONAUT_* variables
   * (none is inherited from this JVM), waiting at most {@link #TIMEOUT}.
   */
  static Result run(Map<String, String> environment, String... args) {
    return run(TIMEOUT, environment, args);
  }

  /** As {@link #run(Map, String...)}, for commands that take longer, such as the demo. */
  static Result run(Duration timeout, Map<String, String> environment, String... args) {
    List<String> command = new ArrayList<>();
    command.add(E2e.java());
    // The CLI runs for a second: skip the optimising compiler and the concurrent collector.
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-jar");
    command.add(E2e.jar().toString());
    command.addAll(List.of(args));
    Path out = null;
    Path err = null;
    Process process = null;
    try {
      out = Files.createTempFile(E2e.outputDirectory(), "cli-", ".out");
      err = Files.createTempFile(E2e.outputDirectory(), "cli-", ".err");
      ProcessBuilder builder =
          new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
      Map<String, String> clean = E2e.environment(builder.environment(), environment);
      builder.environment().clear();
      builder.environment().putAll(clean);
      process = builder.start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new AssertionError(
            "conductor "
                + String.join(" ", args)
                + " did not end within "
                + timeout.toSeconds()
                + "s; so far:\n"
                + Files.readString(out)
                + Files.readString(err));
      }
      return new Result(
          List.of(args),
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(out);
      deleteQuietly(err);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // Only a temporary capture file.
      }
    }
  }
}
