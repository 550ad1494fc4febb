package dev.conductor.routing;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs tasks one after another per tenant and tenants side by side on a shared executor, so a
 * tenant whose bus or runtime is slow delays only itself. Tasks must not throw.
 */
final class TenantLanes {
  private final Executor executor;
  private final Map<UUID, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<Void>> alone = ConcurrentHashMap.newKeySet();

  TenantLanes(Executor executor) {
    this.executor = executor;
  }

  /** Runs {@code task} after the tenant's earlier tasks. */
  void execute(UUID tenantId, Runnable task) {
    CompletableFuture<Void> tail =
        tails.compute(
            tenantId,
            (id, previous) ->
                previous == null
                    ? CompletableFuture.runAsync(task, executor)
                    : previous.thenRunAsync(task, executor));
    tail.whenComplete((ignored, error) -> tails.remove(tenantId, tail));
  }

  /** Runs {@code task} on its own, in no lane (a worker's start, say). */
  void executeAlone(Runnable task) {
    CompletableFuture<Void> future = CompletableFuture.runAsync(task, executor);
    alone.add(future);
    future.whenComplete((ignored, error) -> alone.remove(future));
  }

  /** Waits up to {@code wait} for every task given so far; returns whether they all ended. */
  boolean awaitIdle(Duration wait) throws InterruptedException {
    CompletableFuture<?>[] pending =
        java.util.stream.Stream.concat(tails.values().stream(), alone.stream())
            .toArray(CompletableFuture<?>[]::new);
    try {
      CompletableFuture.allOf(pending).get(wait.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return true;
    }
  }
}
