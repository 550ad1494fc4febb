package dev.conductor.cli.operations;

import jakarta.annotation.Nullable;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/** Reads server-sent events as the WHATWG event-stream format defines them. */
public final class SseReader implements Closeable {

  private final BufferedReader lines;

  public SseReader(Reader reader) {
    this.lines = reader instanceof BufferedReader buffered ? buffered : new BufferedReader(reader);
  }

  /**
   * @return the next event, or null when the stream has ended (a trailing event without its blank
   *     line is dropped, as the format requires)
   */
  @Nullable
  public ServerSentEvent next() throws IOException {
    String event = null;
    String id = null;
    StringBuilder data = null;
    String line;
    while ((line = lines.readLine()) != null) {
      if (line.isEmpty()) {
        if (data != null) {
          return new ServerSentEvent(event == null ? "message" : event, data.toString(), id);
        }
        event = null;
        continue;
      }
      if (line.startsWith(":")) {
        continue;
      }
      int colon = line.indexOf(':');
      String field = colon < 0 ? line : line.substring(0, colon);
      String value = colon < 0 ? "" : line.substring(colon + 1);
      if (value.startsWith(" ")) {
        value = value.substring(1);
      }
      switch (field) {
        case "event" -> event = value;
        case "data" ->
            data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
        case "id" -> id = value;
        default -> {
          // "retry" and unknown fields do not matter to a CLI that reads one stream once.
        }
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    lines.close();
  }
}
