package dev.conductor.runtime;

import dev.conductor.home.InvalidSettingException;
import dev.conductor.plan.Plan;
import dev.conductor.plan.Plans;
import io.micronaut.context.BeanContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.AnnotationUtil;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.inject.Inject;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The worker runtimes of this conductor by kind: the default ({@code conductor.runtime.kind}) and
 * every kind a plan names, each created at start (a plan naming a runtime this conductor lacks
 * stops the start, saying so); a kind nobody names is never created, so a conductor without Docker
 * starts while no plan names docker. A runtime is a {@link WorkerRuntime} bean named by its kind.
 */
@Context
public class WorkerRuntimes {
  private final String defaultKind;
  private final Function<String, Optional<WorkerRuntime>> lookup;
  private final Collection<String> known;
  private final Map<String, WorkerRuntime> active = new ConcurrentSkipListMap<>();

  @Inject
  WorkerRuntimes(BeanContext context, RuntimeSettings settings, Plans plans) {
    this(
        settings.kind(),
        plans.all(),
        kind -> context.findBean(WorkerRuntime.class, Qualifiers.byName(kind)),
        kinds(context.getBeanDefinitions(WorkerRuntime.class)));
  }

  WorkerRuntimes(
      String defaultKind,
      List<Plan> plans,
      Function<String, Optional<WorkerRuntime>> lookup,
      Collection<String> known) {
    this.defaultKind = defaultKind;
    this.lookup = lookup;
    this.known = new TreeSet<>(known);
    of(defaultKind, "conductor.runtime.kind (CONDUCTOR_RUNTIME_KIND)");
    for (Plan plan : plans) {
      of(kindOf(plan), "plan '" + plan.name() + "' (conductor.plans." + plan.name() + ".runtime)");
    }
  }

  /** The plan's runtime kind: its own, else the conductor's default. */
  public String kindOf(Plan plan) {
    return plan.runtime() == null || plan.runtime().isBlank() ? defaultKind : plan.runtime();
  }

  /** A worker row's runtime kind; rows from before runtimes were recorded ran on the default. */
  public String kindOr(@Nullable String recorded) {
    return recorded == null ? defaultKind : recorded;
  }

  /**
   * The runtime of this kind, created on first use; an unknown kind is refused, naming the known.
   */
  public WorkerRuntime of(String kind) {
    return of(kind, "a worker");
  }

  /** Every runtime created so far, by kind: those that may run workers of this conductor. */
  public Map<String, WorkerRuntime> active() {
    return Map.copyOf(active);
  }

  private WorkerRuntime of(String kind, String namedBy) {
    WorkerRuntime runtime = active.get(kind);
    if (runtime != null) {
      return runtime;
    }
    synchronized (active) {
      return active.computeIfAbsent(
          kind,
          k ->
              lookup
                  .apply(k)
                  .orElseThrow(
                      () ->
                          new InvalidSettingException(
                              namedBy
                                  + " names the worker runtime '"
                                  + k
                                  + "', which this conductor does not have; runtimes: "
                                  + String.join(", ", known))));
    }
  }

  /** Each runtime bean's kind: its name, else its class name without "WorkerRuntime". */
  private static Set<String> kinds(Collection<BeanDefinition<WorkerRuntime>> definitions) {
    return definitions.stream()
        .map(
            definition ->
                definition
                    .stringValue(AnnotationUtil.NAMED)
                    .orElseGet(
                        () ->
                            definition
                                .getBeanType()
                                .getSimpleName()
                                .replace("WorkerRuntime", "")
                                .toLowerCase(Locale.ROOT)))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
