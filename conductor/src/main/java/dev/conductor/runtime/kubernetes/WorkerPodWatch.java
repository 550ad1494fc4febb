package dev.conductor.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the pods of this conductor's home (an informer: list, then watch, again by itself after
 * an error) so that a pod that ends, Failed, evicted or OOM-killed, is known at once, not at the
 * next reconcile; a pod deleted by any hand is told apart.
 */
final class WorkerPodWatch implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPodWatch.class);

  private static final Duration SYNC_WAIT = Duration.ofSeconds(10);

  private final SharedIndexInformer<Pod> informer;
  private volatile boolean closed;

  WorkerPodWatch(
      KubernetesClient kubernetes,
      String namespace,
      String home,
      Consumer<Pod> changed,
      Consumer<Pod> deleted) {
    informer =
        kubernetes
            .pods()
            .inNamespace(namespace)
            .withLabel(PodLabels.HOME, PodLabels.value(home))
            .runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Pod pod) {
            changed.accept(pod);
          }

          @Override
          public void onUpdate(Pod before, Pod pod) {
            changed.accept(pod);
          }

          @Override
          public void onDelete(Pod pod, boolean finalStateUnknown) {
            deleted.accept(pod);
          }
        });
    informer.exceptionHandler(
        (started, error) -> {
          if (!closed) {
            LOG.warn(
                "worker pods not watched namespace={}, retrying: {}",
                namespace,
                error.getClass().getSimpleName());
          }
          return !closed;
        });
    try {
      // Synced before the first start, so that no pod of this conductor ends unseen.
      informer.start().toCompletableFuture().get(SYNC_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("worker pods not listed yet namespace={}, watching on: {}", namespace, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    informer.close();
  }
}
