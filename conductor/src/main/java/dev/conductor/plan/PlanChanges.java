package dev.conductor.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/** What moving a tenant from one plan to another changes, one readable line per setting. */
public final class PlanChanges {
  private PlanChanges() {}

  public static List<String> between(Plan from, Plan to) {
    List<String> changes = new ArrayList<>();
    compare(changes, "worker capacity", from, to, Plan::workerCapacity);
    compare(changes, "max workers per key", from, to, Plan::maxWorkersPerKey);
    compare(changes, "max workers per tenant", from, to, Plan::maxWorkersPerTenant);
    compare(changes, "idle timeout", from, to, Plan::idleTimeout);
    compare(changes, "max attempts", from, to, Plan::maxAttempts);
    compare(changes, "job timeout", from, to, Plan::jobTimeout);
    compare(changes, "max payload bytes", from, to, Plan::maxPayloadBytes);
    compare(changes, "worker image", from, to, Plan::workerImage);
    compare(changes, "worker command", from, to, Plan::command);
    compare(changes, "job types", from, to, Plan::acceptedJobTypes);
    compare(changes, "submit rate", from, to, Plan::submitRate);
    compare(changes, "submit burst", from, to, Plan::submitBurst);
    compare(changes, "max queued jobs", from, to, Plan::maxQueuedJobs);
    compare(changes, "job retention", from, to, Plan::jobRetention);
    compare(changes, "runtime", from, to, Plan::runtime);
    compare(changes, "worker cpus", from, to, Plan::workerCpus);
    compare(changes, "worker memory", from, to, Plan::workerMemory);
    return changes;
  }

  private static void compare(
      List<String> changes, String setting, Plan from, Plan to, Function<Plan, ?> value) {
    Object before = value.apply(from);
    Object after = value.apply(to);
    if (!Objects.equals(before, after)) {
      changes.add(setting + " " + before + " → " + after);
    }
  }
}
