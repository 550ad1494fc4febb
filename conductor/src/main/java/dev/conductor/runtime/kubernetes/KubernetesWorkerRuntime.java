package dev.conductor.runtime.kubernetes;

import dev.conductor.home.ConductorHome;
import dev.conductor.runtime.WorkerExit;
import dev.conductor.runtime.WorkerLaunch;
import dev.conductor.runtime.WorkerLogFiles;
import dev.conductor.runtime.WorkerRuntime;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each worker as a Pod named {@code worker-<GUID>} in one namespace, labelled like the docker
 * runtime's containers ({@link PodLabels}), so a restarted conductor adopts its pods by label and
 * another conductor's are not its own. The bus password is a file of the tenant's Secret ({@link
 * TenantBusSecrets}), never in the pod spec. A watch on the pods ({@link WorkerPodWatch}) tells at
 * once when one ends; its log is kept under the home, then it is deleted.
 */
@Singleton
@Named("kubernetes")
public class KubernetesWorkerRuntime implements WorkerRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesWorkerRuntime.class);

  // Bounded so that stopping the conductor never hangs on a stuck pod.
  private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(10);
  private static final Duration FINISHED_KEPT = Duration.ofMinutes(1);

  private final KubernetesClient kubernetes;
  private final String namespace;
  private final String home;
  private final WorkerLogFiles logs;
  private final WorkerPodTemplate template;
  private final TenantBusSecrets secrets;
  // Exits by pod name; an entry stays until a minute after the pod is gone.
  private final Map<String, CompletableFuture<WorkerExit>> exits = new ConcurrentHashMap<>();
  // Recording exits, keeping logs, deleting pods: the named executor kubernetes-runtime.
  private final ExecutorService effects;
  private final WorkerPodWatch watch;

  @Inject
  KubernetesWorkerRuntime(
      ConductorHome conductorHome,
      KubernetesRuntimeSettings settings,
      @Named("kubernetes-runtime") ExecutorService effects) {
    this(
        conductorHome,
        settings,
        effects,
        new KubernetesClientBuilder().withConfig(Config.autoConfigure(settings.context())).build());
  }

  /** On a given client (a test's mock API server); closed with this runtime. */
  KubernetesWorkerRuntime(
      ConductorHome conductorHome,
      KubernetesRuntimeSettings settings,
      ExecutorService effects,
      KubernetesClient kubernetes) {
    this.template = new WorkerPodTemplate(settings);
    this.kubernetes = kubernetes;
    this.effects = effects;
    String configured = settings.namespace();
    String clients = kubernetes.getNamespace();
    this.namespace =
        configured != null && !configured.isBlank()
            ? configured
            : clients != null ? clients : "default";
    this.home = conductorHome.root().toString();
    this.logs = new WorkerLogFiles(conductorHome.root());
    this.secrets = new TenantBusSecrets(kubernetes, namespace, home);
    this.watch =
        new WorkerPodWatch(
            kubernetes,
            namespace,
            home,
            pod -> {
              if (PodLabels.ofHome(pod, home) && PodExit.of(pod).isPresent()) {
                inBackground(() -> finish(pod, false));
              }
            },
            pod -> {
              if (PodLabels.ofHome(pod, home)) {
                inBackground(() -> finish(pod, true));
              }
            });
  }

  @Override
  public String start(WorkerLaunch launch) {
    String name = "worker-" + launch.workerId();
    String password = launch.environment().get(WorkerPodTemplate.PASSWORD_VARIABLE);
    Pod pod =
        template.podOf(
            name,
            namespace,
            home,
            launch,
            password == null ? null : secrets.nameOf(launch.tenant()));
    exits.computeIfAbsent(name, ref -> new CompletableFuture<>());
    try {
      secrets.inTurn(
          launch.tenant(),
          () -> {
            if (password != null) {
              // Before the pod, so that the kubelet finds it when it mounts the volume.
              secrets.write(launch.tenant(), password);
            }
            return kubernetes.pods().inNamespace(namespace).resource(pod).create();
          });
    } catch (KubernetesClientException e) {
      CompletableFuture<WorkerExit> failed = exits.get(name);
      if (failed != null && failed.complete(new WorkerExit(-1, false, "not created"))) {
        forgetLater(name, failed);
      }
      inBackground(() -> secrets.removeUnused(List.of(launch.tenant())));
      throw new IllegalStateException(
          "the Kubernetes API at "
              + kubernetes.getMasterUrl()
              + " did not create worker pod "
              + name
              + " in namespace "
              + namespace
              + ": "
              + reason(e));
    }
    LOG.info(
        "worker pod created worker={} tenant={} pod={}/{} image={}",
        launch.workerId(),
        launch.tenant(),
        namespace,
        name,
        template.image());
    return name;
  }

  @Override
  public void stop(String runtimeRef, Duration grace) {
    // Deleted with the grace: SIGTERM, SIGKILL after it; the watch sees the pod go.
    inBackground(
        () -> {
          delete(runtimeRef, grace);
          finish(runtimeRef);
        });
  }

  /** Completes with the pod's {@link WorkerExit} once it has ended. */
  @Override
  public CompletableFuture<?> onExit(String runtimeRef) {
    CompletableFuture<WorkerExit> exit = exits.get(runtimeRef);
    if (exit != null) {
      return exit;
    }
    CompletableFuture<WorkerExit> adopted =
        exits.computeIfAbsent(runtimeRef, ref -> new CompletableFuture<>());
    inBackground(() -> finish(runtimeRef));
    return adopted;
  }

  @Override
  public Set<String> locations() {
    return template.locations();
  }

  @Override
  public boolean isRunning(String runtimeRef) {
    Pod pod = kubernetes.pods().inNamespace(namespace).withName(runtimeRef).get();
    return pod != null && PodLabels.ofHome(pod, home) && PodExit.of(pod).isEmpty();
  }

  /** A pod of ours that has not been deleted yet: its output, read from the API server. */
  @Override
  public Optional<String> runningLog(String runtimeRef, @Nullable Integer tail) {
    try {
      var pod = kubernetes.pods().inNamespace(namespace).withName(runtimeRef);
      Pod found = pod.get();
      if (found == null || !PodLabels.ofHome(found, home)) {
        return Optional.empty();
      }
      var container = pod.inContainer(WorkerPodTemplate.CONTAINER);
      return Optional.ofNullable(
          tail == null ? container.getLog() : container.tailingLines(tail).getLog());
    } catch (KubernetesClientException e) {
      LOG.debug("worker pod log not read pod={}/{}: {}", namespace, runtimeRef, reason(e));
      return Optional.empty();
    }
  }

  /**
   * Pods of this home that have not ended, found by label; ended ones met on the way are cleared.
   */
  @Override
  public Map<UUID, String> list() {
    Map<UUID, String> running = new HashMap<>();
    for (Pod pod : podsOfThisHome()) {
      if (PodExit.of(pod).isPresent()) {
        inBackground(() -> finish(pod, false));
      } else {
        PodLabels.workerId(pod).ifPresent(id -> running.put(id, pod.getMetadata().getName()));
      }
    }
    return running;
  }

  /**
   * A backstop when the context closes: the conductor's own stop has drained the workers already;
   * whatever is left is deleted, and the Secrets of its tenants with it.
   */
  @PreDestroy
  void close() {
    Set<String> tenants = new TreeSet<>();
    try {
      for (Pod pod : podsOfThisHome()) {
        String tenant = PodLabels.annotation(pod, PodLabels.TENANT);
        if (tenant != null) {
          tenants.add(tenant);
        }
        delete(pod.getMetadata().getName(), SHUTDOWN_WAIT);
      }
      secrets.removeUnused(tenants);
    } catch (KubernetesClientException e) {
      LOG.warn("worker pods not deleted at close: {}", reason(e));
    }
    effects.shutdown();
    try {
      effects.awaitTermination(SHUTDOWN_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watch.close();
    kubernetes.close();
  }

  private List<Pod> podsOfThisHome() {
    return kubernetes
        .pods()
        .inNamespace(namespace)
        .withLabel(PodLabels.HOME, PodLabels.value(home))
        .list()
        .getItems()
        .stream()
        .filter(pod -> PodLabels.ofHome(pod, home))
        .toList();
  }

  /** Off the caller's thread; nothing once closed (closing deleted every pod of ours). */
  private void inBackground(Runnable effect) {
    try {
      effects.execute(effect);
    } catch (RejectedExecutionException e) {
      LOG.debug("kubernetes runtime closed; effect dropped");
    }
  }

  /** Finishes the pod if it has ended; one that is gone ended, how is no longer known. */
  private void finish(String name) {
    Pod pod;
    try {
      pod = kubernetes.pods().inNamespace(namespace).withName(name).get();
    } catch (KubernetesClientException e) {
      LOG.warn("worker pod not read pod={}/{}: {}", namespace, name, reason(e));
      return;
    }
    if (pod == null) {
      CompletableFuture<WorkerExit> gone = exits.get(name);
      if (gone != null && gone.complete(new WorkerExit(-1, false, "pod deleted"))) {
        forgetLater(name, gone);
      }
    } else if (PodLabels.ofHome(pod, home) && PodExit.of(pod).isPresent()) {
      finish(pod, false);
    }
  }

  /**
   * Records how an ended pod exited, completes its exit, keeps its log and deletes it; once it is
   * deleted, its tenant's Secret goes unless another pod uses it.
   */
  private void finish(Pod pod, boolean deleted) {
    String name = pod.getMetadata().getName();
    WorkerExit exit = PodExit.of(pod).orElse(null);
    if (exit == null && deleted) {
      exit = new WorkerExit(-1, false, "pod deleted");
    }
    String tenant = PodLabels.annotation(pod, PodLabels.TENANT);
    if (deleted && tenant != null) {
      secrets.removeUnused(List.of(tenant));
    }
    if (exit == null) {
      return;
    }
    CompletableFuture<WorkerExit> future =
        exits.computeIfAbsent(name, ref -> new CompletableFuture<>());
    if (!future.complete(exit)) {
      return; // Another pass is finishing it.
    }
    String workerId = PodLabels.workerId(pod).map(UUID::toString).orElse("?");
    LOG.info("worker pod ended worker={} pod={}/{} {}", workerId, namespace, name, exit);
    if (!deleted) {
      keepLog(name, workerId);
      delete(name, Duration.ZERO);
    }
    forgetLater(name, future);
  }

  /** Kept a while: a pass that read the pod before its deletion must find it ended. */
  private void forgetLater(String name, CompletableFuture<WorkerExit> exit) {
    CompletableFuture.delayedExecutor(FINISHED_KEPT.toMillis(), TimeUnit.MILLISECONDS)
        .execute(() -> exits.remove(name, exit));
  }

  /**
   * The pod's output into {@code <home>/workers/<id>.log} before the pod goes, where the other
   * runtimes write it too; owner-only, since it may show job payloads and results.
   */
  private void keepLog(String name, String workerId) {
    try {
      String output =
          kubernetes
              .pods()
              .inNamespace(namespace)
              .withName(name)
              .inContainer(WorkerPodTemplate.CONTAINER)
              .getLog();
      Path log = logs.create(workerId);
      if (output != null) {
        Files.writeString(log, output, StandardOpenOption.APPEND);
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "worker pod log not kept worker={} pod={}/{}: {}", workerId, namespace, name, reason(e));
    }
  }

  /** Deletes the pod with the grace (a second at least: zero would force it off the API only). */
  private void delete(String name, Duration grace) {
    try {
      kubernetes
          .pods()
          .inNamespace(namespace)
          .withName(name)
          .withGracePeriod(Math.max(1, (grace.toMillis() + 999) / 1000))
          .delete();
    } catch (KubernetesClientException e) {
      LOG.warn("worker pod deletion failed pod={}/{}: {}", namespace, name, reason(e));
    }
  }

  /** The API's own words, first line only. */
  private static String reason(Throwable error) {
    String message = error.getMessage();
    if (message == null) {
      return error.getClass().getSimpleName();
    }
    return message.strip().lines().findFirst().orElse(message).replaceAll("\\s+", " ");
  }
}
