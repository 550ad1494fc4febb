package dev.conductor.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * The URL a local {@code conductor server} recorded in its home ({@code server.json}) while it
 * runs; a record whose process is gone (a killed conductor) is ignored.
 */
final class RecordedServer {

  static final String FILE = "server.json";
  // Process start times are read from the OS at a coarser grain than an Instant prints.
  private static final Duration SAME_START = Duration.ofSeconds(1);

  private RecordedServer() {}

  /** The recorded URL if the conductor that wrote it is still running. */
  static Optional<String> url(Path home) {
    Path file = home.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      JsonNode record = Json.parse(Files.readString(file));
      String url = Json.text(record, "url");
      if (url == null || !record.path("pid").canConvertToLong() || !alive(record)) {
        return Optional.empty();
      }
      return Optional.of(url);
    } catch (IOException | IllegalArgumentException | DateTimeParseException unreadable) {
      // Unreadable or half-written: fall back as if no server recorded itself.
      return Optional.empty();
    }
  }

  private static boolean alive(JsonNode record) {
    Optional<ProcessHandle> process =
        ProcessHandle.of(record.get("pid").asLong()).filter(ProcessHandle::isAlive);
    String recordedStart = Json.text(record, "processStartedAt");
    if (process.isEmpty() || recordedStart == null) {
      return process.isPresent();
    }
    // A reused pid belongs to a process that started later than the recorded one.
    Instant started = Instant.parse(recordedStart);
    return process
        .get()
        .info()
        .startInstant()
        .map(actual -> Duration.between(started, actual).abs().compareTo(SAME_START) <= 0)
        .orElse(true);
  }
}
