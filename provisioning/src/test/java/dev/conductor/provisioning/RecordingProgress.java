package dev.conductor.provisioning;

import java.util.ArrayList;
import java.util.List;

/** Collects progress events so tests can assert on what operators would see. */
public final class RecordingProgress implements ProgressListener {
  private final List<String> events = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    events.add("INFO " + message);
  }

  @Override
  public synchronized void warn(String message) {
    events.add("WARN " + message);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized boolean mentions(String text) {
    return events.stream().anyMatch(event -> event.contains(text));
  }
}
