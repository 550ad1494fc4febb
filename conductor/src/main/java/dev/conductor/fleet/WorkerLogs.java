package dev.conductor.fleet;

import dev.conductor.api.NotFoundException;
import dev.conductor.api.UpstreamUnavailableException;
import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerLogFiles;
import dev.conductor.runtime.WorkerLogUnavailableException;
import dev.conductor.runtime.WorkerRuntime;
import dev.conductor.runtime.WorkerRuntimes;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A worker's output on any runtime: a live worker's runtime tells where it holds it apart (a
 * container's log in its engine), as does a runtime whose log service keeps it after the worker
 * ended (aca's Log Analytics); otherwise it is {@code <home>/workers/<id>.log}, where the process
 * runtime writes it and the docker runtime copies an ended container's. A log service that cannot
 * be read is 503 with its one-line reason.
 */
@Singleton
public class WorkerLogs {
  // How long an ended worker's log waits for its process or container to exit.
  private static final Duration EXITING = Duration.ofSeconds(10);

  private final WorkerRepository workers;
  private final WorkerRuntimes runtimes;
  private final WorkerLogFiles logs;

  WorkerLogs(WorkerRepository workers, WorkerRuntimes runtimes, ConductorHome home) {
    this.workers = workers;
    this.runtimes = runtimes;
    this.logs = new WorkerLogFiles(home.root());
  }

  /** The worker's log, its last {@code tail} lines (null: all); 404 for an unknown worker. */
  public String of(UUID workerId, @Nullable Integer tail) {
    WorkerInstance worker =
        workers
            .findById(workerId)
            .orElseThrow(() -> new NotFoundException("worker '" + workerId + "' not found"));
    String ref = worker.runtimeRef();
    String kind = runtimes.kindOr(worker.runtime());
    // An ended worker's runtime is asked only if it is here already: others copied the log home.
    @Nullable
    WorkerRuntime runtime = worker.state().live() ? runtimes.of(kind) : runtimes.active().get(kind);
    if (ref != null && runtime != null && !worker.state().live() && !runtime.logOutlivesWorker()) {
      awaitExit(runtime, ref);
    }
    if (ref != null && runtime != null && (worker.state().live() || runtime.logOutlivesWorker())) {
      try {
        Optional<String> held = runtime.runningLog(ref, tail);
        if (held.isPresent()) {
          return held.get();
        }
      } catch (WorkerLogUnavailableException e) {
        throw new UpstreamUnavailableException(e.reason());
      }
    }
    return tail(logs.of(workerId.toString()), tail);
  }

  /**
   * A worker ends when it reports so, moments before its process or container exits: its last lines
   * (and a container's copied log) come with the exit, so an ended worker's log waits for it.
   */
  private static void awaitExit(WorkerRuntime runtime, String ref) {
    try {
      runtime.onExit(ref).get(EXITING.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      // Still exiting, or its exit went unseen: the log as it stands.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The file's last lines, read through once; an absent file (never started) is empty. */
  static String tail(Path file, @Nullable Integer lines) {
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      Deque<String> kept = new ArrayDeque<>();
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        kept.addLast(line);
        if (lines != null && kept.size() > lines) {
          kept.removeFirst();
        }
      }
      StringBuilder text = new StringBuilder();
      kept.forEach(line -> text.append(line).append('\n'));
      return text.toString();
    } catch (NoSuchFileException e) {
      return "";
    } catch (IOException e) {
      throw new UncheckedIOException("worker log " + file.getFileName() + " not read", e);
    }
  }
}
