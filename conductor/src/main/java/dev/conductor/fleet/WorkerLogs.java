package dev.conductor.fleet;

import dev.conductor.api.NotFoundException;
import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerLogFiles;
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
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.UUID;

/**
 * A worker's output on any runtime: a live worker's runtime tells where it holds it apart (a
 * container's log in its engine); otherwise it is {@code <home>/workers/<id>.log}, where the
 * process runtime writes it and the docker runtime copies an ended container's.
 */
@Singleton
public class WorkerLogs {
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
    if (ref != null && worker.state().live()) {
      Optional<String> held = runtimes.of(runtimes.kindOr(worker.runtime())).runningLog(ref, tail);
      if (held.isPresent()) {
        return held.get();
      }
    }
    return tail(logs.of(workerId.toString()), tail);
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
