package dev.conductor.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Freezes the embedded PostgreSQL of a conductor home (SIGSTOP to the postmaster named in its pid
 * file and to all its backends), as a stalled disk or a paused VM would; {@link #close()} thaws it.
 */
public final class PostgresFreeze implements AutoCloseable {
  private final List<ProcessHandle> frozen;

  private PostgresFreeze(List<ProcessHandle> frozen) {
    this.frozen = frozen;
  }

  public static PostgresFreeze of(Path home) {
    Path pidFile = home.resolve("postgres").resolve("postmaster.pid");
    long pid;
    try {
      pid = Long.parseLong(Files.readAllLines(pidFile, StandardCharsets.UTF_8).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ProcessHandle postmaster =
        ProcessHandle.of(pid).orElseThrow(() -> new AssertionError("no postmaster " + pid));
    List<ProcessHandle> processes = new ArrayList<>();
    // The postmaster first, so that it forks no new backend meanwhile.
    processes.add(postmaster);
    processes.addAll(postmaster.descendants().toList());
    PostgresFreeze freeze = new PostgresFreeze(processes);
    try {
      signal("STOP", processes);
    } catch (RuntimeException | Error e) {
      freeze.close();
      throw e;
    }
    return freeze;
  }

  /** Thaws every frozen process; one that is gone already does not keep the others frozen. */
  @Override
  public void close() {
    signal("CONT", frozen);
  }

  private static void signal(String signal, List<ProcessHandle> processes) {
    List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
    processes.forEach(p -> command.add(Long.toString(p.pid())));
    try {
      int exit = new ProcessBuilder(command).inheritIO().start().waitFor();
      if (exit != 0 && signal.equals("STOP")) {
        throw new AssertionError(String.join(" ", command) + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
