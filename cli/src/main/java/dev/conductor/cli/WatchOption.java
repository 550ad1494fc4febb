package dev.conductor.cli;

import dev.conductor.api.client.ServerUnreachableException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * {@code --watch}: a list drawn again every {@code --interval} until Ctrl-C, over the last one on a
 * terminal, one after another otherwise. A server that stops answering is shown, not fatal.
 */
public final class WatchOption {
  private static final String CLEAR_SCREEN = "\033[H\033[2J";
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());

  @Option(
      names = {"-w", "--watch"},
      description = "Draw the list again every --interval until Ctrl-C.")
  boolean watch;

  @Option(
      names = "--interval",
      paramLabel = "SECONDS",
      defaultValue = "2",
      description = "Seconds between drawings with --watch (default: ${DEFAULT-VALUE}).")
  int intervalSeconds;

  /**
   * Prints {@code frame} once, or with {@code --watch} again and again until interrupted.
   *
   * @param command what is shown, for the heading on a terminal (e.g. "conductor workers list")
   */
  public int show(ServerOptions connection, String command, Supplier<String> frame) {
    PrintWriter out = connection.out();
    if (!watch) {
      out.print(frame.get());
      out.flush();
      return ExitCodes.OK;
    }
    if (intervalSeconds < 1) {
      throw connection.usageError("--interval must be at least 1 second");
    }
    boolean terminal = connection.cli().interactive() && !connection.structured();
    while (!Thread.currentThread().isInterrupted()) {
      String drawn;
      try {
        drawn = frame.get();
      } catch (ServerUnreachableException e) {
        drawn = "waiting for the server: " + e.getMessage() + "\n";
      }
      if (terminal) {
        out.print(
            CLEAR_SCREEN
                + "Every "
                + intervalSeconds
                + "s: "
                + command
                + "    "
                + CLOCK.format(Instant.now())
                + "\n\n");
      }
      out.print(drawn);
      if (!terminal) {
        out.println();
      }
      out.flush();
      try {
        Thread.sleep(Duration.ofSeconds(intervalSeconds).toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ExitCodes.OK;
  }
}
