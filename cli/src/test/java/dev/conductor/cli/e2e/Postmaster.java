package dev.conductor.cli.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The embedded PostgreSQL of a conductor home, seen from outside as an operator would: its {@code
 * postmaster.pid} (line 1 the pid, line 4 the port) and the superuser password file.
 */
record Postmaster(Path home, long pid, int port) {

  static final String SUPERUSER = "postgres";

  static Path dataDirectory(Path home) {
    return home.resolve("postgres");
  }

  /** The postmaster recorded in the home's pid file, if the file exists and is complete. */
  static Optional<Postmaster> of(Path home) {
    Path pidFile = dataDirectory(home).resolve("postmaster.pid");
    try {
      List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
      if (lines.size() < 4 || lines.get(3).isBlank()) {
        return Optional.empty();
      }
      return Optional.of(
          new Postmaster(
              home, Long.parseLong(lines.get(0).trim()), Integer.parseInt(lines.get(3).trim())));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The live process with the recorded pid, if it is still this home's postmaster. */
  Optional<ProcessHandle> process() {
    return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(servesDataOf(home));
  }

  boolean isAlive() {
    return process().isPresent();
  }

  /**
   * Every live postmaster started on this home's data directory, found by its command line ({@code
   * postgres -D DIR ...}), whether or not the pid file still names it.
   */
  static List<ProcessHandle> running(Path home) {
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(servesDataOf(home))
        .toList();
  }

  private static Predicate<ProcessHandle> servesDataOf(Path home) {
    String option = "-D " + dataDirectory(home);
    return process ->
        process
            .info()
            .commandLine()
            .map(command -> command.contains(option + " ") || command.endsWith(option))
            .orElse(false);
  }

  /** A superuser connection to {@code database}, authenticated with the home's password file. */
  Connection connect(String database) throws SQLException, IOException {
    Properties properties = new Properties();
    properties.setProperty("user", SUPERUSER);
    properties.setProperty(
        "password",
        Files.readString(home.resolve("postgres-password"), StandardCharsets.UTF_8).trim());
    return DriverManager.getConnection(
        "jdbc:postgresql://localhost:" + port + "/" + database, properties);
  }

  /**
   * Test cleanup only: stops any postgres left running on this home (SIGTERM, then SIGKILL for it
   * and its backends) so that no test leaves a database server behind.
   */
  static void stopLeftover(Path home) {
    for (ProcessHandle postmaster : running(home)) {
      System.err.println("stopping leftover postgres pid=" + postmaster.pid() + " of " + home);
      List<ProcessHandle> backends = postmaster.descendants().toList();
      postmaster.destroy();
      if (!await(postmaster, Duration.ofSeconds(20))) {
        postmaster.destroyForcibly();
        await(postmaster, Duration.ofSeconds(10));
      }
      backends.forEach(ProcessHandle::destroyForcibly);
    }
  }

  private static boolean await(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }
}
