package dev.conductor.cli.operations;

import static org.assertj.core.api.Assertions.assertThat;

import dev.conductor.api.v1.EndView;
import dev.conductor.api.v1.EventView;
import dev.conductor.cli.Json;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseReaderTest {

  // As the conductor sends it: replayed events, a keep-alive comment, then the end event.
  private static final String RECORDED =
      """
      event: progress
      data: {"at":"2025-11-21T10:00:00Z","level":"INFO","message":"creating database"}

      : keep-alive

      event: progress
      id: 2
      data: {"at":"2025-11-21T10:00:01Z","level":"WARN","message":"role exists, reusing it"}

      event: end
      data: {"status":"FAILED","error":"queue: broker unavailable"}

      """;

  @Test
  void readsARecordedOperationStream() throws IOException {
    List<ServerSentEvent> events = readAll(RECORDED);

    assertThat(events)
        .extracting(ServerSentEvent::event)
        .containsExactly("progress", "progress", "end");
    assertThat(events.get(1).id()).isEqualTo("2");
    assertThat(OperationEvent.from(Json.read(events.get(1).data(), EventView.class)))
        .isEqualTo(new OperationEvent("2025-11-21T10:00:01Z", "WARN", "role exists, reusing it"));
    assertThat(OperationEvent.from(Json.read(events.get(0).data(), EventView.class)).line())
        .isEqualTo("2025-11-21T10:00:00Z INFO  creating database");
    assertThat(Json.read(events.get(2).data(), EndView.class).error())
        .isEqualTo("queue: broker unavailable");
  }

  @Test
  void joinsDataLinesAndHandlesCrlfAndBareFields() throws IOException {
    List<ServerSentEvent> events = readAll("data:one\r\ndata: two\r\ndata\r\n\r\n");

    assertThat(events).containsExactly(new ServerSentEvent("message", "one\ntwo\n", null));
  }

  @Test
  void dropsAnEventCutOffBeforeItsBlankLine() throws IOException {
    List<ServerSentEvent> events = readAll("event: progress\ndata: {}\n\nevent: end\ndata: {\"st");

    assertThat(events).extracting(ServerSentEvent::event).containsExactly("progress");
  }

  @Test
  void ignoresEventsWithoutData() throws IOException {
    assertThat(readAll("event: ping\n\nevent: end\ndata: {}\n\n"))
        .containsExactly(new ServerSentEvent("end", "{}", null));
  }

  private static List<ServerSentEvent> readAll(String stream) throws IOException {
    List<ServerSentEvent> events = new ArrayList<>();
    try (SseReader reader = new SseReader(new StringReader(stream))) {
      for (ServerSentEvent event = reader.next(); event != null; event = reader.next()) {
        events.add(event);
      }
    }
    return events;
  }
}
