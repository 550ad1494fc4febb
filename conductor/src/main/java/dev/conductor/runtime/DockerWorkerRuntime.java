package dev.conductor.runtime;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Event;
import com.github.dockerjava.api.model.EventType;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import dev.conductor.home.ConductorHome;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker as a container of a Docker engine, named {@code worker-<GUID>} and labelled with
 * this conductor's home, so a restarted conductor finds its containers again and another
 * conductor's are not its own. The bus password goes into the container as a read-only file before
 * it starts, never into its environment or labels (both shown by {@code docker inspect}); the file
 * goes with the container, which is removed once it has ended and its exit has been recorded.
 *
 * <p>Each location ({@code conductor.runtime.docker.locations.<name>}) is an engine of its own; a
 * worker with no location goes to the default engine. A located container is labelled with its
 * location and its reference is {@code <location>#<container id>}; each engine owns only the
 * containers of its own location, so two locations may even share one engine.
 */
@Singleton
@Named("docker")
public class DockerWorkerRuntime implements WorkerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(DockerWorkerRuntime.class);

  public static final String HOME_LABEL = "dev.conductor.home";
  public static final String WORKER_LABEL = "dev.conductor.worker";
  public static final String TENANT_LABEL = "dev.conductor.tenant";
  public static final String AFFINITY_KEY_LABEL = "dev.conductor.affinity-key";
  public static final String GENERATION_LABEL = "dev.conductor.generation";
  public static final String LOCATION_LABEL = "dev.conductor.location";
  // Between a location and a container id in a reference; no location name holds it.
  private static final char REF_SEPARATOR = '#';

  static final String PASSWORD_VARIABLE = "CONDUCTOR_BUS_PASSWORD";
  static final String PASSWORD_FILE_VARIABLE = "CONDUCTOR_BUS_PASSWORD_FILE";
  static final String PASSWORD_FILE = "/run/secrets/conductor-bus-password";
  private static final String BUS_URL_VARIABLE = "CONDUCTOR_BUS_URL";
  // Bounded so that stopping the conductor never hangs on a stuck container.
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final Duration EVENTS_RETRY = Duration.ofSeconds(1);
  private static final Duration LOG_COPY_WAIT = Duration.ofSeconds(10);
  private static final Duration FINISHED_KEPT = Duration.ofMinutes(1);
  // A start takes milliseconds between create and start; far longer means nobody will start it.
  private static final Duration NEVER_STARTED = Duration.ofMinutes(1);
  // On top of the stop grace for a container that dumps its class-data archive as it exits.
  private static final Duration ARCHIVE_DUMP = Duration.ofSeconds(60);

  private final String home;
  private final WorkerLogFiles logs;
  private final DockerRuntimeSettings settings;
  // By location; '' is the default engine.
  private final Map<String, Engine> engines = new TreeMap<>();
  // Per location, as configured: an engine cannot tell where its containers' traffic leaves from.
  private final Map<String, String> egressAddresses = new HashMap<>();
  // Exits by reference; an entry stays until a minute after the container is removed.
  private final Map<String, CompletableFuture<WorkerExit>> exits = new ConcurrentHashMap<>();
  // References whose end a pass is recording (log kept, container removed) right now.
  private final Set<String> finishing = ConcurrentHashMap.newKeySet();
  // References of running containers that write their tenant's class-data archive as they exit.
  private final Set<String> archiveWriters = ConcurrentHashMap.newKeySet();
  // Recording exits, copying logs, removing containers: the named executor docker-runtime.
  private final ExecutorService effects;
  private volatile boolean closed;

  /** One engine: its client, where its containers go, and its event stream. */
  private final class Engine {
    final String location;
    final String host;
    final DockerClient docker;
    final String network;
    final @Nullable String busUrl;
    final DockerClassData classData;
    volatile boolean eventsLost;
    volatile ResultCallback.@Nullable Adapter<Event> events;

    Engine(
        String location,
        @Nullable String host,
        String network,
        @Nullable String busUrl,
        ConductorHome conductorHome) {
      this.location = location;
      this.host = DockerEngine.hostOf(host);
      this.docker = DockerEngine.connect(this.host);
      this.network = network;
      this.busUrl = busUrl;
      // A volume and marks per location: locations may share an engine, never an archive.
      String suffix = location.isEmpty() ? "" : "-" + Integer.toHexString(location.hashCode());
      Path marks = conductorHome.root().resolve(WorkerClassData.DIRECTORY);
      this.classData =
          new DockerClassData(
              docker,
              "conductor-class-data-" + Integer.toHexString(home.hashCode()) + suffix,
              Map.of(HOME_LABEL, home),
              location.isEmpty() ? marks : marks.resolve("docker" + suffix),
              settings.classData());
    }

    /** Labelled with this home and of this engine's location (none for the default engine). */
    boolean owns(@Nullable Map<String, String> labels) {
      return labels != null
          && home.equals(labels.get(HOME_LABEL))
          && location.equals(labels.getOrDefault(LOCATION_LABEL, ""));
    }

    String ref(String containerId) {
      return location.isEmpty() ? containerId : location + REF_SEPARATOR + containerId;
    }
  }

  DockerWorkerRuntime(
      ConductorHome conductorHome,
      DockerRuntimeSettings settings,
      List<DockerLocation> locations,
      @Named("docker-runtime") ExecutorService effects) {
    this.effects = effects;
    this.home = conductorHome.root().toString();
    this.logs = new WorkerLogFiles(conductorHome.root());
    this.settings = settings;
    engines.put(
        "", new Engine("", settings.host(), settings.network(), settings.busUrl(), conductorHome));
    for (DockerLocation location : locations) {
      if (location.egressAddress() != null) {
        egressAddresses.put(location.name(), location.egressAddress());
      }
      engines.put(
          location.name(),
          new Engine(
              location.name(),
              location.host(),
              location.network() == null ? settings.network() : location.network(),
              location.busUrl() == null ? settings.busUrl() : location.busUrl(),
              conductorHome));
    }
    engines.values().forEach(this::followDeaths);
  }

  /** The location's configured {@code egress-address}: the engine cannot tell it. */
  @Override
  public Optional<String> egressAddress(WorkerLaunch launch) {
    return Optional.ofNullable(egressAddresses.get(launch.location()));
  }

  @Override
  public Set<String> locations() {
    Set<String> served = new TreeSet<>(engines.keySet());
    served.remove("");
    return served;
  }

  /** The engine of a located launch; the default engine for none. */
  private Engine engineFor(String location) {
    Engine engine = engines.get(location);
    if (engine == null) {
      throw new IllegalStateException(
          "the docker runtime serves no location '"
              + location
              + "' (conductor.runtime.docker.locations); it serves: "
              + String.join(", ", locations()));
    }
    return engine;
  }

  /** The engine a reference names (a bare container id: the default engine's). */
  private Engine engineOf(String runtimeRef) {
    int separator = runtimeRef.lastIndexOf(REF_SEPARATOR);
    return engineFor(separator < 0 ? "" : runtimeRef.substring(0, separator));
  }

  private static String containerOf(String runtimeRef) {
    return runtimeRef.substring(runtimeRef.lastIndexOf(REF_SEPARATOR) + 1);
  }

  @Override
  public String start(WorkerLaunch launch) {
    Engine engine = engineFor(launch.location());
    DockerClient docker = engine.docker;
    String host = engine.host;
    Map<String, String> labels = new HashMap<>();
    labels.put(HOME_LABEL, home);
    labels.put(WORKER_LABEL, launch.workerId().toString());
    labels.put(TENANT_LABEL, launch.tenant());
    labels.put(AFFINITY_KEY_LABEL, launch.affinityKey());
    labels.put(GENERATION_LABEL, Long.toString(launch.generation()));
    if (!engine.location.isEmpty()) {
      labels.put(LOCATION_LABEL, engine.location);
    }
    Map<String, String> environment = new HashMap<>(launch.environment());
    String password = environment.remove(PASSWORD_VARIABLE);
    if (password != null) {
      environment.put(PASSWORD_FILE_VARIABLE, PASSWORD_FILE);
    }
    if (engine.busUrl != null && environment.containsKey(BUS_URL_VARIABLE)) {
      environment.put(BUS_URL_VARIABLE, engine.busUrl);
    }
    List<String> env = new ArrayList<>();
    environment.forEach((name, value) -> env.add(name + "=" + value));
    // The plan's image and limits where it names them, else this runtime's.
    String image =
        launch.image() == null || launch.image().isBlank() ? settings.image() : launch.image();
    Double planCpus = launch.limits().cpus();
    Long planMemory = launch.limits().memoryBytes();
    double cpus = planCpus == null ? settings.cpus() : planCpus;
    long memory = planMemory == null ? settings.memory() : planMemory;
    HostConfig hostConfig =
        HostConfig.newHostConfig()
            .withNetworkMode(engine.network)
            .withNanoCPUs((long) (cpus * 1_000_000_000L))
            .withMemory(memory)
            // No swap on top: a worker over its memory is OOM-killed, and says so.
            .withMemorySwap(memory);
    DockerClassData.Use classDataUse =
        launch.command().isEmpty()
            ? engine.classData.next(image, launch.tenant())
            : DockerClassData.Use.NONE;
    env.addAll(classDataUse.environment());
    if (classDataUse.bind() != null) {
      hostConfig.withBinds(classDataUse.bind());
    }
    var create =
        docker
            .createContainerCmd(image)
            .withName("worker-" + launch.workerId())
            .withLabels(labels)
            .withEnv(env)
            .withHostConfig(hostConfig);
    if (!launch.command().isEmpty()) {
      create.withEntrypoint(launch.command());
    }
    String id;
    try {
      id = create.exec().getId();
    } catch (RuntimeException e) {
      classDataUse.afterExit().accept(new WorkerExit(-1, false));
      throw createFailure(e, image, host);
    }
    String ref = engine.ref(id);
    if (classDataUse.writesArchive()) {
      archiveWriters.add(ref);
    }
    exits
        .computeIfAbsent(ref, r -> new CompletableFuture<>())
        .whenComplete(
            (exit, failed) -> {
              archiveWriters.remove(ref);
              classDataUse.afterExit().accept(exit == null ? new WorkerExit(-1, false) : exit);
            });
    try {
      if (password != null) {
        docker
            .copyArchiveToContainerCmd(id)
            .withRemotePath("/")
            .withTarInputStream(new ByteArrayInputStream(secretArchive(password)))
            .exec();
      }
      docker.startContainerCmd(id).exec();
    } catch (RuntimeException e) {
      remove(engine, id);
      CompletableFuture<WorkerExit> failed = exits.get(ref);
      if (failed != null && failed.complete(new WorkerExit(-1, false))) {
        forgetLater(ref, failed);
      }
      throw new IllegalStateException(
          "worker container " + launch.workerId() + " did not start: " + reason(e));
    }
    LOG.info(
        "worker container started worker={} tenant={} container={} image={} location={}",
        launch.workerId(),
        launch.tenant(),
        id,
        image,
        engine.location);
    return ref;
  }

  /** Why the engine did not create a worker's container, in the operator's terms. */
  private static IllegalStateException createFailure(
      RuntimeException e, String image, String host) {
    if (e instanceof NotFoundException) {
      if (!reason(e).contains("No such image")) {
        return new IllegalStateException(
            "the Docker engine at " + host + " did not create the worker container: " + reason(e));
      }
      return new IllegalStateException(
          "worker image "
              + image
              + " is not in the Docker engine at "
              + host
              + ": build it (worker-container/README.md) or pull it");
    }
    if (e instanceof DockerException) {
      return new IllegalStateException(
          "the Docker engine at " + host + " did not create the worker container: " + reason(e));
    }
    return new IllegalStateException(
        "the Docker engine at " + host + " cannot be reached: " + reason(e));
  }

  @Override
  public void stop(String runtimeRef, Duration grace) {
    // docker stop: SIGTERM, SIGKILL after the grace (whole seconds); then the exit and removal.
    // A class-data writer gets longer: killed while it dumps, its archive is lost and the next
    // container writes again (seen under load: exit 137 five seconds into a dump).
    Duration allowed = archiveWriters.contains(runtimeRef) ? grace.plus(ARCHIVE_DUMP) : grace;
    int seconds = (int) Math.min(Integer.MAX_VALUE, (allowed.toMillis() + 999) / 1000);
    Engine engine = engineOf(runtimeRef);
    String id = containerOf(runtimeRef);
    inBackground(
        () -> {
          try {
            engine.docker.stopContainerCmd(id).withTimeout(seconds).exec();
          } catch (NotModifiedException | NotFoundException e) {
            // Ended already.
          } catch (RuntimeException e) {
            LOG.warn("worker container stop failed container={}: {}", runtimeRef, reason(e));
          }
          finish(engine, id);
        });
  }

  /** Completes with the container's {@link WorkerExit} once it has ended. */
  @Override
  public CompletableFuture<?> onExit(String runtimeRef) {
    CompletableFuture<WorkerExit> exit = exits.get(runtimeRef);
    if (exit != null) {
      return exit;
    }
    CompletableFuture<WorkerExit> adopted =
        exits.computeIfAbsent(runtimeRef, ref -> new CompletableFuture<>());
    if (!isRunning(runtimeRef)) {
      inBackground(() -> finish(engineOf(runtimeRef), containerOf(runtimeRef)));
    }
    return adopted;
  }

  @Override
  public boolean isRunning(String runtimeRef) {
    Engine engine = engineOf(runtimeRef);
    try {
      InspectContainerResponse container =
          engine.docker.inspectContainerCmd(containerOf(runtimeRef)).exec();
      return engine.owns(container.getConfig().getLabels())
          && Boolean.TRUE.equals(container.getState().getRunning());
    } catch (NotFoundException e) {
      return false;
    }
  }

  /** A container of ours that has not been removed yet: its output, read from the engine. */
  @Override
  public Optional<String> runningLog(String runtimeRef, @Nullable Integer tail) {
    Engine engine = engineOf(runtimeRef);
    DockerClient docker = engine.docker;
    String id = containerOf(runtimeRef);
    try {
      if (!engine.owns(docker.inspectContainerCmd(id).exec().getConfig().getLabels())) {
        return Optional.empty();
      }
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      ResultCallback.Adapter<Frame> copy =
          new ResultCallback.Adapter<>() {
            @Override
            public void onNext(Frame frame) {
              output.writeBytes(frame.getPayload());
            }
          };
      var logs = docker.logContainerCmd(id).withStdOut(true).withStdErr(true);
      if (tail != null) {
        logs.withTail(tail);
      }
      if (!logs.exec(copy).awaitCompletion(LOG_COPY_WAIT.toSeconds(), TimeUnit.SECONDS)) {
        closeQuietly(copy);
      }
      return Optional.of(output.toString(StandardCharsets.UTF_8));
    } catch (NotFoundException e) {
      return Optional.empty(); // Removed: its output is in the home's log now.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  /**
   * Running containers labelled with this home, on every engine; ended ones met on the way are
   * cleared up.
   */
  @Override
  public Map<UUID, String> list() {
    Map<UUID, String> running = new HashMap<>();
    for (Engine engine : engines.values()) {
      List<Container> containers =
          engine
              .docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(HOME_LABEL, home))
              .exec();
      for (Container container : containers) {
        if (!engine.owns(container.getLabels())) {
          continue; // Another location's, on a shared engine.
        }
        String state = container.getState();
        if ("running".equals(state)) {
          workerIdOf(container.getLabels())
              .ifPresent(id -> running.put(id, engine.ref(container.getId())));
        } else if ("exited".equals(state) || "dead".equals(state) || neverStarted(container)) {
          inBackground(() -> finish(engine, container.getId()));
        }
      }
    }
    return running;
  }

  /** Created long ago and never started: its conductor died between the two. */
  private static boolean neverStarted(Container container) {
    Long created = container.getCreated();
    return "created".equals(container.getState())
        && created != null
        && Instant.ofEpochSecond(created).plus(NEVER_STARTED).isBefore(Instant.now());
  }

  /**
   * A backstop when the context closes: the conductor's own stop has drained the workers already;
   * whatever still runs is stopped and removed.
   */
  @PreDestroy
  void close() {
    try {
      list().values().forEach(ref -> stop(ref, SHUTDOWN_WAIT));
    } catch (RuntimeException e) {
      LOG.warn("worker containers not listed at close: {}", reason(e));
    }
    effects.shutdown();
    try {
      effects.awaitTermination(SHUTDOWN_WAIT.toSeconds() + 5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closed = true;
    for (Engine engine : engines.values()) {
      ResultCallback.Adapter<Event> following = engine.events;
      if (following != null) {
        closeQuietly(following);
      }
      try {
        engine.docker.close();
      } catch (IOException e) {
        LOG.debug("docker client close failed", e);
      }
    }
  }

  /** Engine events tell at once when one of ours dies; list() catches any missed while away. */
  private void followDeaths(Engine engine) {
    if (closed) {
      return;
    }
    ResultCallback.Adapter<Event> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(Event event) {
            String id = event.getId();
            if (id != null) {
              inBackground(() -> finish(engine, id));
            }
          }

          @Override
          public void onStart(java.io.Closeable stream) {
            super.onStart(stream);
            if (engine.eventsLost) {
              engine.eventsLost = false;
              LOG.info("docker events followed again engine={}", engine.host);
            }
          }

          @Override
          public void onComplete() {
            super.onComplete();
            // The engine ended the stream (it restarted): follow again, as after an error.
            onError(new IOException("the event stream ended"));
          }

          @Override
          public void onError(Throwable error) {
            if (!closed) {
              // Once per outage: an engine down for long would otherwise fill the log.
              if (!engine.eventsLost) {
                engine.eventsLost = true;
                LOG.warn(
                    "docker events lost engine={}, retrying every {}: {}",
                    engine.host,
                    EVENTS_RETRY,
                    reason(error));
              }
              CompletableFuture.delayedExecutor(EVENTS_RETRY.toMillis(), TimeUnit.MILLISECONDS)
                  .execute(() -> followDeaths(engine));
            }
          }
        };
    try {
      engine
          .docker
          .eventsCmd()
          .withEventTypeFilter(EventType.CONTAINER)
          .withEventFilter("die")
          .withLabelFilter(Map.of(HOME_LABEL, home))
          .exec(callback);
      engine.events = callback;
    } catch (RuntimeException e) {
      callback.onError(e);
    }
  }

  /** Off the caller's thread; nothing once closed (closing stopped every container of ours). */
  private void inBackground(Runnable effect) {
    try {
      effects.execute(effect);
    } catch (RejectedExecutionException e) {
      LOG.debug("docker runtime closed; effect dropped");
    }
  }

  /** Records how an ended container exited, completes its exit, then removes it. */
  private void finish(Engine engine, String id) {
    DockerClient docker = engine.docker;
    String ref = engine.ref(id);
    WorkerExit exit;
    String workerId = "?";
    try {
      InspectContainerResponse container = docker.inspectContainerCmd(id).exec();
      if (!engine.owns(container.getConfig().getLabels())
          || Boolean.TRUE.equals(container.getState().getRunning())) {
        return;
      }
      workerId = String.valueOf(container.getConfig().getLabels().get(WORKER_LABEL));
      Long code = container.getState().getExitCodeLong();
      exit =
          new WorkerExit(
              code == null ? -1 : code, Boolean.TRUE.equals(container.getState().getOOMKilled()));
    } catch (NotFoundException e) {
      // Removed by another hand (docker rm): ended, how is no longer known.
      CompletableFuture<WorkerExit> gone = exits.get(ref);
      if (gone != null && gone.complete(new WorkerExit(-1, false))) {
        forgetLater(ref, gone);
      }
      return;
    } catch (RuntimeException e) {
      LOG.warn("worker container inspect failed container={}: {}", id, reason(e));
      return;
    }
    CompletableFuture<WorkerExit> future =
        exits.computeIfAbsent(ref, r -> new CompletableFuture<>());
    if (future.isDone() || !finishing.add(ref)) {
      return; // Another pass is finishing it.
    }
    try {
      LOG.info("worker container ended worker={} container={} {}", workerId, id, exit);
      // Kept before the exit is told: whoever waits for the exit finds the whole log at home.
      keepLog(docker, id, workerId);
      future.complete(exit);
      remove(engine, id);
      forgetLater(ref, future);
    } finally {
      finishing.remove(ref);
    }
  }

  /** Kept a while: a pass that inspected the container before its removal must find it ended. */
  private void forgetLater(String ref, CompletableFuture<WorkerExit> exit) {
    CompletableFuture.delayedExecutor(FINISHED_KEPT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> exits.remove(ref, exit));
  }

  /**
   * The container's output into {@code <home>/workers/<id>.log} before the container goes, where
   * the process runtime writes it too; owner-only, since it may show job payloads and results.
   */
  private void keepLog(DockerClient docker, String id, String workerId) {
    try {
      Path log = logs.create(workerId);
      try (OutputStream out = Files.newOutputStream(log, StandardOpenOption.APPEND)) {
        ResultCallback.Adapter<Frame> copy =
            new ResultCallback.Adapter<>() {
              @Override
              public void onNext(Frame frame) {
                try {
                  out.write(frame.getPayload());
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              }
            };
        docker
            .logContainerCmd(id)
            .withStdOut(true)
            .withStdErr(true)
            .exec(copy)
            .awaitCompletion(LOG_COPY_WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } catch (NotFoundException | ConflictException e) {
      LOG.debug("worker container removed meanwhile, log not kept worker={}", workerId);
    } catch (IOException | RuntimeException e) {
      LOG.warn("worker container log not kept worker={} container={}: {}", workerId, id, reason(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void remove(Engine engine, String id) {
    try {
      engine.docker.removeContainerCmd(id).withForce(true).exec();
    } catch (NotFoundException | ConflictException e) {
      // Gone already, or its removal is under way.
    } catch (RuntimeException e) {
      LOG.warn("worker container removal failed container={}: {}", id, reason(e));
    }
  }

  private static java.util.Optional<UUID> workerIdOf(@Nullable Map<String, String> labels) {
    String id = labels == null ? null : labels.get(WORKER_LABEL);
    if (id == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return java.util.Optional.empty();
    }
  }

  /** A tar of the one secret file: readable by any user of the container, written by none. */
  private static byte[] secretArchive(String password) {
    byte[] content = password.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry directory = new TarArchiveEntry("run/secrets/");
      directory.setMode(040755);
      tar.putArchiveEntry(directory);
      tar.closeArchiveEntry();
      TarArchiveEntry file = new TarArchiveEntry(PASSWORD_FILE.substring(1));
      file.setMode(0100444);
      file.setSize(content.length);
      tar.putArchiveEntry(file);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The engine's own words, first line only. */
  private static String reason(Throwable error) {
    String message = error.getMessage();
    if (message == null) {
      return error.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElse(message).replaceAll("\\s+", " ");
  }

  private static void closeQuietly(ResultCallback.Adapter<?> callback) {
    try {
      callback.close();
    } catch (IOException e) {
      LOG.debug("docker events close failed", e);
    }
  }
}
