package dev.conductor.routing;

import dev.conductor.fleet.WorkerInstance;
import dev.conductor.fleet.WorkerLifecycle;
import dev.conductor.fleet.WorkerMessages;
import dev.conductor.job.Job;
import dev.conductor.plan.Plan;
import dev.conductor.tenant.Tenant;
import io.micronaut.scheduling.TaskExecutors;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs what a committed routing pass decided, off the routing thread: job messages in the
 * tenant's lane, each worker start on its own (teardowns are armed when workers go idle, not here).
 * A pass's job messages are sent together without waiting for each (pipelined), then the lane waits
 * until the broker confirmed them all. Every effect is isolated: one that fails is logged and the
 * others still happen (a job whose message was not sent stays DISPATCHED and is sent again, with
 * the same message id, by {@link StalledDispatches}).
 */
@Singleton
class DispatchEffects {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchEffects.class);

  /** A committed pass: jobs to send, workers to start. */
  record Committed(Tenant tenant, Plan plan, List<Send> sends, List<WorkerInstance> registered) {}

  /** One job, its attempt counted, to one worker. */
  record Send(Job job, UUID workerId) {}

  private final WorkerMessages messages;
  private final WorkerLifecycle lifecycle;
  private final TenantLanes lanes;

  DispatchEffects(
      WorkerMessages messages,
      WorkerLifecycle lifecycle,
      @Named(TaskExecutors.BLOCKING) Executor executor) {
    this.messages = messages;
    this.lifecycle = lifecycle;
    this.lanes = new TenantLanes(executor);
  }

  void apply(Committed pass) {
    String tenant = pass.tenant().name();
    if (!pass.sends().isEmpty()) {
      lanes.execute(
          pass.tenant().id(),
          () -> {
            List<CompletableFuture<Void>> sent = new ArrayList<>(pass.sends().size());
            for (Send send : pass.sends()) {
              sent.add(messages.sendJobAsync(send.job(), send.workerId(), tenant));
            }
            for (int i = 0; i < sent.size(); i++) {
              UUID job = pass.sends().get(i).job().id();
              // Bounded: the bus fails a send the broker does not confirm in time.
              isolated("send job=" + job, sent.get(i)::join);
            }
          });
    }
    for (WorkerInstance worker : pass.registered()) {
      lanes.executeAlone(
          () ->
              isolated(
                  "start worker=" + worker.id(),
                  () -> lifecycle.launch(worker, tenant, pass.plan())));
    }
  }

  /** Waits (bounded) for the effects of passes already committed; returns whether they ended. */
  boolean awaitApplied(Duration wait) throws InterruptedException {
    return lanes.awaitIdle(wait);
  }

  private static void isolated(String what, Runnable effect) {
    try {
      effect.run();
    } catch (CompletionException e) {
      LOG.warn("{} failed", what, e.getCause() == null ? e : e.getCause());
    } catch (RuntimeException e) {
      LOG.warn("{} failed", what, e);
    }
  }
}
