package dev.conductor.provisioning;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Collects progress events so tests can assert on what operators would see. */
public final class RecordingProgress implements ProgressListener {
  private final List<String> events = new ArrayList<>();
  private final List<String> steps = new ArrayList<>();

  @Override
  public synchronized void info(String message) {
    events.add("INFO " + message);
  }

  @Override
  public synchronized void warn(String message) {
    events.add("WARN " + message);
  }

  @Override
  public synchronized void stepEnded(String step, String action, boolean failed, Duration took) {
    steps.add(step + " " + action + (failed ? " failed" : " ok") + " " + took.toMillis() + " ms");
  }

  /** Each ended step as {@code "database create ok 12 ms"}. */
  public synchronized List<String> steps() {
    return List.copyOf(steps);
  }

  public synchronized List<String> events() {
    return List.copyOf(events);
  }

  public synchronized boolean mentions(String text) {
    return events.stream().anyMatch(event -> event.contains(text));
  }
}
