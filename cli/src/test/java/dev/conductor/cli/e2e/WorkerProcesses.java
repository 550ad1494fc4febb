package dev.conductor.cli.e2e;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The worker processes of a conductor home, seen from outside as an operator would: the {@code
 * process} runtime tags each one on its command line with {@code -Dconductor.worker=<id>} and
 * {@code -Dconductor.worker.home=<home>}.
 */
final class WorkerProcesses {

  static final String WORKER_TAG = "-Dconductor.worker=";
  static final String HOME_TAG = "-Dconductor.worker.home=";

  private WorkerProcesses() {}

  /** Live worker processes tagged with {@code home}, by worker id (the tag's value). */
  static Map<String, ProcessHandle> running(Path home) {
    Set<String> homeTags = homeTags(home);
    Map<String, ProcessHandle> found = new LinkedHashMap<>();
    ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .forEach(
            process -> {
              String[] arguments = process.info().arguments().orElse(new String[0]);
              String workerId = null;
              boolean ours = false;
              for (String argument : arguments) {
                if (argument.startsWith(WORKER_TAG)) {
                  workerId = argument.substring(WORKER_TAG.length());
                } else if (homeTags.contains(argument)) {
                  ours = true;
                }
              }
              if (ours) {
                found.put(workerId == null ? "pid " + process.pid() : workerId, process);
              }
            });
    return found;
  }

  /** One line per process: worker id, pid and whether it is still alive, for failure messages. */
  static String describe(Map<String, ProcessHandle> processes) {
    StringBuilder text = new StringBuilder();
    processes.forEach(
        (id, process) ->
            text.append("\n  worker ")
                .append(id)
                .append(" pid ")
                .append(process.pid())
                .append(process.isAlive() ? " alive" : " ended"));
    return text.isEmpty() ? " none" : text.toString();
  }

  /** Test cleanup only: SIGKILLs every worker process of {@code home} and waits briefly. */
  static void killLeftover(Path home) {
    List<ProcessHandle> left = List.copyOf(running(home).values());
    for (ProcessHandle process : left) {
      System.err.println("killing leftover worker pid=" + process.pid() + " of " + home);
      process.destroyForcibly();
    }
    for (ProcessHandle process : left) {
      try {
        process.onExit().get(Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException | TimeoutException e) {
        System.err.println("worker pid=" + process.pid() + " survived SIGKILL: " + e);
      }
    }
  }

  /** The home as given and as the conductor may resolve it (symlinked temp directories). */
  private static Set<String> homeTags(Path home) {
    Set<String> tags = new HashSet<>();
    tags.add(HOME_TAG + home.toAbsolutePath());
    try {
      tags.add(HOME_TAG + home.toRealPath());
    } catch (IOException e) {
      // Already deleted: only the path as given can still be on a command line.
    }
    return tags;
  }
}
