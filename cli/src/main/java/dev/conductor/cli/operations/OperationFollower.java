package dev.conductor.cli.operations;

import dev.conductor.api.client.BadResponseException;
import dev.conductor.api.client.ConductorClient;
import dev.conductor.api.client.ServerUnreachableException;
import dev.conductor.api.v1.EndView;
import dev.conductor.api.v1.EventView;
import dev.conductor.api.v1.OperationView;
import dev.conductor.cli.Json;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

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
  @Nullable
  private Outcome stream(String operationId) {
    try (SseReader events =
        new SseReader(
            new InputStreamReader(client.operationEvents(operationId), StandardCharsets.UTF_8))) {
      ServerSentEvent event;
      while ((event = events.next()) != null) {
        switch (event.event()) {
          case "progress" -> show(OperationEvent.from(Json.read(event.data(), EventView.class)));
          case "end" -> {
            EndView end = Json.read(event.data(), EndView.class);
            return new Outcome(end.status(), end.error());
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
    int failures = 0;
    while (true) {
      try {
        OperationView operation = client.operation(operationId);
        failures = 0;
        List<EventView> events = operation.events() == null ? List.of() : operation.events();
        for (int i = shown; i < events.size(); i++) {
          show(OperationEvent.from(events.get(i)));
        }
        if (Outcome.isTerminal(operation.status())) {
          return new Outcome(operation.status(), operation.error());
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
