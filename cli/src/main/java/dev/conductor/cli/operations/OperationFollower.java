package dev.conductor.cli.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.conductor.cli.BadResponseException;
import dev.conductor.cli.ConductorClient;
import dev.conductor.cli.Json;
import dev.conductor.cli.ServerUnreachableException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Follows an operation to its end: live over server-sent events, by polling if the stream drops.
 */
public final class OperationFollower {

  private static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  // Tolerates a conductor restart or a replica switch while waiting, then gives up.
  private static final int MAX_CONSECUTIVE_POLL_FAILURES = 30;

  private final ConductorClient client;
  private final ProgressPrinter progress;
  private int shown;

  OperationFollower(ConductorClient client, ProgressPrinter progress) {
    this.client = client;
    this.progress = progress;
  }

  public Outcome follow(String operationId) {
    try {
      Outcome outcome = stream(operationId);
      if (outcome != null) {
        return outcome;
      }
      progress.notice("event stream ended early; polling operation " + operationId);
    } catch (ServerUnreachableException | UncheckedIOException dropped) {
      progress.notice("event stream interrupted; polling operation " + operationId);
    } finally {
      progress.finish();
    }
    try {
      return poll(operationId);
    } finally {
      progress.finish();
    }
  }

  /** Returns null when the stream closes before its {@code end} event. */
  private Outcome stream(String operationId) {
    String path = "/v1/operations/" + ConductorClient.segment(operationId) + "/events";
    try (SseReader events =
        new SseReader(new InputStreamReader(client.stream(path), StandardCharsets.UTF_8))) {
      ServerSentEvent event;
      while ((event = events.next()) != null) {
        switch (event.event()) {
          case "progress" -> show(OperationEvent.from(Json.parse(event.data())));
          case "end" -> {
            JsonNode end = Json.parse(event.data());
            return new Outcome(Json.text(end, "status"), Json.text(end, "error"));
          }
          default -> {
            // Unknown event kinds come from newer servers; skipping them keeps the CLI compatible.
          }
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (IllegalArgumentException notJson) {
      throw new BadResponseException(
          "the event stream of operation " + operationId + " is not the conductor's format",
          notJson);
    }
  }

  private Outcome poll(String operationId) {
    String path = "/v1/operations/" + ConductorClient.segment(operationId);
    int failures = 0;
    while (true) {
      try {
        JsonNode operation = client.get(path);
        failures = 0;
        JsonNode events = operation.path("events");
        for (int i = shown; i < events.size(); i++) {
          show(OperationEvent.from(events.get(i)));
        }
        String status = Json.text(operation, "status");
        if (Outcome.isTerminal(status)) {
          return new Outcome(status, Json.text(operation, "error"));
        }
      } catch (ServerUnreachableException e) {
        if (++failures >= MAX_CONSECUTIVE_POLL_FAILURES) {
          throw e;
        }
      }
      sleep();
    }
  }

  private void show(OperationEvent event) {
    progress.event(event);
    shown++;
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the operation", e);
    }
  }
}
