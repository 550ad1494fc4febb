package dev.conductor.runtime;

import dev.conductor.home.ConductorHome;
import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker as a child process in its own session (setsid), output to {@code
 * <home>/workers/<id>.log}. Processes are tagged with the worker id and the conductor home on their
 * command line, so a restarted conductor finds the ones it started before.
 */
@Singleton
@Named("process")
public class ProcessWorkerRuntime implements WorkerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(ProcessWorkerRuntime.class);
  static final String WORKER_TAG = "-Dconductor.worker=";
  static final String HOME_TAG = "-Dconductor.worker.home=";
  private static final String WORKER_MAIN = "dev.conductor.worker.WorkerMain";
  // Bounded so that stopping the conductor never hangs on a stuck worker.
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);

  /**
   * All a worker inherits of the conductor's environment; the rest (operator token, database and
   * bus credentials) stays with the conductor. The launch adds the worker's own settings.
   */
  public static final List<String> INHERITED_VARIABLES =
      List.of("PATH", "HOME", "LANG", "LC_ALL", "TZ", "TMPDIR");

  private final Path home;
  private final WorkerLogFiles logs;
  private final String classpath;
  private final String java;
  private final WorkerClassData classData;
  private final boolean setsid = new File("/usr/bin/setsid").canExecute();
  // Children started by this conductor; a fresh child's command line may not be readable yet.
  private final Map<String, Child> children = new java.util.concurrent.ConcurrentHashMap<>();

  private record Child(UUID workerId, Process process) {}

  ProcessWorkerRuntime(
      ConductorHome conductorHome,
      ProcessRuntimeSettings settings,
      @Value("${conductor.bus.kind:artemis}") String busKind) {
    this.home = conductorHome.root();
    this.logs = new WorkerLogFiles(home);
    this.classpath = WorkerClassPath.of(settings, busKind, WorkerClassPath.ownJar(), home);
    this.java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    this.classData = new WorkerClassData(home, classpath, java, settings.classData());
    LOG.info("worker processes run with classpath={}", classpath);
  }

  @Override
  public String start(WorkerLaunch launch) {
    List<String> command = new ArrayList<>();
    if (setsid) {
      command.add("/usr/bin/setsid");
    }
    WorkerClassData.Use classDataUse =
        launch.command().isEmpty()
            ? classData.next(launch.workerId())
            : new WorkerClassData.Use(List.of(), () -> {});
    command.addAll(tagged(launch, classDataUse.options()));
    try {
      Path log = logs.create(launch.workerId().toString());
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      Map<String, String> environment = builder.environment();
      Map<String, String> inherited = new HashMap<>();
      INHERITED_VARIABLES.stream()
          .filter(environment::containsKey)
          .forEach(name -> inherited.put(name, environment.get(name)));
      environment.clear();
      environment.putAll(inherited);
      environment.putAll(launch.environment());
      if (launch.command().isEmpty()) {
        // Through the environment, not -cp: a long command line is truncated when read back.
        environment.put("CLASSPATH", classpath);
      }
      Process process = builder.start();
      String ref = Long.toString(process.pid());
      children.put(ref, new Child(launch.workerId(), process));
      process
          .onExit()
          .thenRun(
              () -> {
                children.remove(ref);
                classDataUse.afterExit().run();
              });
      LOG.info(
          "worker process started worker={} tenant={} pid={} log={}",
          launch.workerId(),
          launch.tenant(),
          process.pid(),
          log);
      return ref;
    } catch (IOException e) {
      classDataUse.afterExit().run();
      throw new UncheckedIOException("cannot start worker " + launch.workerId(), e);
    }
  }

  /**
   * The launch's command with the worker and home tags that a restarted conductor finds it by. The
   * built-in worker and a custom command that runs {@code java} take them as system properties
   * right after the executable, where the program never sees them. Any other program cannot carry
   * them: they would reach it as arguments, and a wrapper that kept them would have to stay its
   * parent and relay its signals; such a worker is known only to the conductor that started it.
   */
  private List<String> tagged(WorkerLaunch launch, List<String> classDataOptions) {
    List<String> tags = List.of(WORKER_TAG + launch.workerId(), HOME_TAG + home);
    List<String> command = new ArrayList<>();
    if (launch.command().isEmpty()) {
      command.add(java);
      // Workers are small and short-lived: start fast, stay small.
      command.addAll(
          List.of(
              "-XX:TieredStopAtLevel=1",
              "-XX:+UseSerialGC",
              "-Xss512k",
              "-Xmx256m",
              "-XX:-UsePerfData",
              // Netty's buffer events would start the JDK's flight recorder in every worker:
              // about a third of its time to connect (docs/benchmarks.md).
              "-Dio.netty.jfr.enabled=false"));
      command.addAll(classDataOptions);
      command.addAll(tags);
      command.add(WORKER_MAIN);
    } else if (runsJava(launch.command().get(0))) {
      command.add(launch.command().get(0));
      command.addAll(tags);
      command.addAll(launch.command().subList(1, launch.command().size()));
    } else {
      command.addAll(launch.command());
    }
    return command;
  }

  private static boolean runsJava(String executable) {
    String name = executable.substring(executable.lastIndexOf(File.separatorChar) + 1);
    return name.equals("java") || name.equals("java.exe");
  }

  @Override
  public void stop(String runtimeRef, Duration grace) {
    handle(runtimeRef)
        .ifPresent(
            process -> {
              process.destroy();
              process
                  .onExit()
                  .orTimeout(grace.toMillis(), TimeUnit.MILLISECONDS)
                  .exceptionally(
                      timeout -> {
                        LOG.warn("worker process pid={} ignored SIGTERM; killing it", runtimeRef);
                        process.destroyForcibly();
                        return process;
                      });
            });
  }

  /** Completes when the process behind the reference has exited. */
  @Override
  public CompletableFuture<?> onExit(String runtimeRef) {
    Child child = children.get(runtimeRef);
    if (child != null) {
      return child.process().onExit();
    }
    return handle(runtimeRef)
        .map(ProcessHandle::onExit)
        .orElseGet(() -> CompletableFuture.completedFuture(null));
  }

  @Override
  public boolean isRunning(String runtimeRef) {
    return handle(runtimeRef).isPresent();
  }

  @Override
  public Map<UUID, String> list() {
    Map<UUID, String> running = new HashMap<>();
    children.forEach(
        (ref, child) -> {
          if (child.process().isAlive()) {
            running.put(child.workerId(), ref);
          }
        });
    ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .forEach(
            process -> workerIdOf(process).ifPresent(id -> running.put(id, "" + process.pid())));
    return running;
  }

  /** Every live worker process tagged with {@code home}, whichever conductor started it. */
  public static List<ProcessHandle> processesOf(Path home) {
    String tag = HOME_TAG + home;
    return ProcessHandle.allProcesses()
        .filter(ProcessHandle::isAlive)
        .filter(process -> List.of(process.info().arguments().orElse(new String[0])).contains(tag))
        .toList();
  }

  /** Only processes tagged with this home count: another conductor's workers are not ours. */
  private Optional<UUID> workerIdOf(ProcessHandle process) {
    String[] arguments = process.info().arguments().orElse(new String[0]);
    String workerId = null;
    boolean ours = false;
    for (String argument : arguments) {
      if (argument.startsWith(WORKER_TAG)) {
        workerId = argument.substring(WORKER_TAG.length());
      } else if (argument.equals(HOME_TAG + home)) {
        ours = true;
      }
    }
    if (!ours || workerId == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(workerId));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** The live process behind the reference, only if it is still one of our workers. */
  private Optional<ProcessHandle> handle(String runtimeRef) {
    Child child = children.get(runtimeRef);
    if (child != null) {
      return child.process().isAlive() ? Optional.of(child.process().toHandle()) : Optional.empty();
    }
    try {
      return ProcessHandle.of(Long.parseLong(runtimeRef))
          .filter(ProcessHandle::isAlive)
          .filter(process -> workerIdOf(process).isPresent());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * A backstop when the context closes: the conductor's own stop has drained the workers already
   * (WorkerDrain, within the shutdown grace); whatever still runs gets SIGTERM, then SIGKILL.
   */
  @PreDestroy
  void stopAll() {
    List<ProcessHandle> running =
        list().values().stream().map(this::handle).flatMap(Optional::stream).toList();
    running.forEach(ProcessHandle::destroy);
    waitForExit(running, SHUTDOWN_WAIT);
    running.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    waitForExit(running, Duration.ofSeconds(5));
  }

  private static void waitForExit(List<ProcessHandle> processes, Duration limit) {
    long deadline = System.nanoTime() + limit.toNanos();
    for (ProcessHandle process : processes) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return;
      }
      try {
        process.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        // Still running: the caller kills it.
      }
    }
  }
}
