package dev.conductor.provisioning.pulumi;

import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.ResourceOperationFailedEvent;
import com.pulumi.automation.events.StepEventMetadata;
import com.pulumi.automation.events.SummaryEvent;
import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ResourceDiff;
import jakarta.annotation.Nullable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns Pulumi engine events into operation events, so that {@code --wait} shows real progress: one
 * line when a resource step starts, one when it ends with its duration, failures and engine errors
 * as warnings, and the summary. Steps that change nothing are only counted. It also collects the
 * changes a preview or refresh found, one line each, for the {@link
 * dev.conductor.provisioning.ResourceDiff}.
 */
final class EngineEventReporter implements Consumer<EngineEvent> {
  private final ProgressListener progress;
  private final Clock clock;
  private final Map<String, Instant> started = new ConcurrentHashMap<>();

  /** Resource types whose deletion or replacement loses the tenant's data. */
  private static final Set<String> HOLDS_DATA =
      Set.of(
          "azure-native:dbforpostgresql:Database",
          "azure-native:dbforpostgresql:Server",
          "azure-native:servicebus:Topic",
          "azure-native:servicebus:Queue",
          "docker:index/volume:Volume");

  private static final Set<OperationType> DESTRUCTIVE =
      Set.of(
          OperationType.DELETE,
          OperationType.REPLACE,
          OperationType.CREATE_REPLACEMENT,
          OperationType.DELETE_REPLACED);

  private final List<String> changes = new ArrayList<>();
  private final List<String> dataLoss = new ArrayList<>();
  private final Set<String> drifted = new HashSet<>();

  EngineEventReporter(ProgressListener progress, Clock clock) {
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * What was seen so far (planned changes in a preview, drifted resources in a refresh), with the
   * planned changes that would lose the tenant's data.
   */
  synchronized ResourceDiff diff() {
    return new ResourceDiff(changes, dataLoss);
  }

  @Override
  public void accept(EngineEvent event) {
    if (event.resourcePreEvent() != null) {
      StepEventMetadata step = event.resourcePreEvent().metadata();
      if (step.op() == OperationType.REFRESH) {
        drifted(step);
      } else if (Boolean.TRUE.equals(event.resourcePreEvent().planning())) {
        planned(step);
      } else if (changes(step)) {
        started.put(step.urn(), clock.instant());
        progress.info(verb(step.op()) + " " + describe(step) + " …");
      }
    } else if (event.resourceOutputsEvent() != null) {
      StepEventMetadata step = event.resourceOutputsEvent().metadata();
      if (step.op() == OperationType.REFRESH) {
        drifted(step);
      } else if (!Boolean.TRUE.equals(event.resourceOutputsEvent().planning()) && changes(step)) {
        Duration took = took(step.urn());
        progress.info(past(step.op()) + " " + describe(step) + " in " + seconds(took));
        ended(step, false, took);
      }
    } else if (event.resourceOperationFailedEvent() != null) {
      ResourceOperationFailedEvent failed = event.resourceOperationFailedEvent();
      StepEventMetadata step = failed.metadata();
      Duration took = took(step.urn());
      progress.warn(
          "failed to " + verb(step.op()) + " " + describe(step) + " after " + seconds(took));
      ended(step, true, took);
    } else if (event.diagnosticEvent() != null) {
      diagnostic(event.diagnosticEvent());
    } else if (event.summaryEvent() != null) {
      progress.info(summary(event.summaryEvent()));
    } else if (event.cancelEvent() != null) {
      progress.warn("pulumi: the update was cancelled");
    }
  }

  private synchronized void planned(StepEventMetadata step) {
    if (changes(step)) {
      String line = verb(step.op()) + " " + describe(step) + diffs(step);
      if (!changes.contains(line)) {
        changes.add(line);
        progress.info("would " + line);
      }
      if (DESTRUCTIVE.contains(step.op()) && HOLDS_DATA.contains(step.type())) {
        if (!dataLoss.contains(line)) {
          dataLoss.add(line);
        }
      }
    }
  }

  /**
   * A refresh step with property differences, or whose resource is gone, is drift; reported once
   * per resource, whether the engine announces the step, its outcome, or both.
   */
  private synchronized void drifted(StepEventMetadata step) {
    boolean gone = step.old() != null && step.new_() == null;
    boolean differs = step.diffs() != null && !step.diffs().isEmpty();
    if ((gone || differs) && drifted.add(step.urn())) {
      String line =
          describe(step) + (gone ? ": deleted outside Pulumi" : ": changed" + diffs(step));
      changes.add(line);
      progress.warn("drift: " + line);
    }
  }

  private void diagnostic(DiagnosticEvent diagnostic) {
    if (Boolean.TRUE.equals(diagnostic.ephemeral()) || diagnostic.message() == null) {
      return;
    }
    String severity = diagnostic.severity() == null ? "" : diagnostic.severity();
    if (severity.equals("error") || severity.equals("warning")) {
      String message = StackErrors.scrub(diagnostic.message().strip());
      int newline = message.indexOf('\n');
      progress.warn(
          "pulumi " + severity + ": " + (newline < 0 ? message : message.substring(0, newline)));
    }
  }

  private static String summary(SummaryEvent summary) {
    Map<String, Integer> counts = new TreeMap<>();
    summary
        .resourceChanges()
        .forEach(
            (op, count) -> counts.merge(past(op).toLowerCase(Locale.ROOT), count, Integer::sum));
    List<String> parts = new ArrayList<>();
    counts.forEach((op, count) -> parts.add(count + " " + op));
    return "pulumi: "
        + (parts.isEmpty() ? "nothing to do" : String.join(", ", parts))
        + " in "
        + summary.durationSeconds()
        + " s";
  }

  private static boolean changes(StepEventMetadata step) {
    return step.op() != OperationType.SAME
        && step.op() != OperationType.READ
        && step.op() != OperationType.REFRESH;
  }

  /** Since the step's start was seen; null when it was not (a step the engine only ended). */
  private @Nullable Duration took(String urn) {
    Instant start = started.remove(urn);
    return start == null ? null : Duration.between(start, clock.instant());
  }

  private static String seconds(@Nullable Duration took) {
    return took == null ? "?" : String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
  }

  /** The resource type names the step: the program declares few, and no tenant's name is in it. */
  private void ended(StepEventMetadata step, boolean failed, @Nullable Duration took) {
    if (took != null && step.type() != null) {
      progress.stepEnded(step.type(), verb(step.op()), failed, took);
    }
  }

  /** {@code azure-native:app:ContainerApp acme-app}: the type and the resource's logical name. */
  private static String describe(StepEventMetadata step) {
    String urn = step.urn() == null ? "" : step.urn();
    int separator = urn.lastIndexOf("::");
    String name = separator < 0 ? urn : urn.substring(separator + 2);
    return step.type() + " " + name;
  }

  private static String diffs(StepEventMetadata step) {
    return step.diffs() == null || step.diffs().isEmpty()
        ? ""
        : " (" + String.join(", ", step.diffs()) + ")";
  }

  private static String verb(OperationType op) {
    return switch (op) {
      case CREATE -> "create";
      case UPDATE -> "update";
      case DELETE -> "delete";
      case REPLACE, CREATE_REPLACEMENT -> "replace";
      case DELETE_REPLACED -> "delete replaced";
      case IMPORT, IMPORT_REPLACEMENT -> "import";
      default -> op.name().toLowerCase(Locale.ROOT).replace('_', ' ');
    };
  }

  private static String past(OperationType op) {
    return switch (op) {
      case CREATE -> "Created";
      case UPDATE -> "Updated";
      case DELETE -> "Deleted";
      case REPLACE, CREATE_REPLACEMENT -> "Replaced";
      case DELETE_REPLACED -> "Deleted replaced";
      case SAME -> "Unchanged";
      case IMPORT, IMPORT_REPLACEMENT -> "Imported";
      case READ -> "Read";
      case REFRESH -> "Refreshed";
      default -> op.name().charAt(0) + op.name().substring(1).toLowerCase(Locale.ROOT);
    };
  }
}
