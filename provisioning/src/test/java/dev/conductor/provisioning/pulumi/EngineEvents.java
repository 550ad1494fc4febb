package dev.conductor.provisioning.pulumi;

import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.CancelEvent;
import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.EngineEvent;
import com.pulumi.automation.events.ResourceOperationFailedEvent;
import com.pulumi.automation.events.ResourceOutputsEvent;
import com.pulumi.automation.events.ResourcePreEvent;
import com.pulumi.automation.events.StepEventMetadata;
import com.pulumi.automation.events.StepEventStateMetadata;
import com.pulumi.automation.events.SummaryEvent;
import java.util.List;
import java.util.Map;

/** Engine events as the Automation API delivers them, built from its own public types. */
final class EngineEvents {
  private EngineEvents() {}

  static String urn(String type, String name) {
    return "urn:pulumi:tenant-acme::conductor-tenants::" + type + "::" + name;
  }

  /** A resource's state as the engine reports it before or after a step. */
  static StepEventStateMetadata state(String urn) {
    return new StepEventStateMetadata(
        urn, null, true, false, "id-1", null, false, Map.of(), Map.of(), null, List.of());
  }

  /** A step on a resource; {@code old} and {@code now} null when it did not or does not exist. */
  static StepEventMetadata step(
      OperationType op,
      String urn,
      String type,
      StepEventStateMetadata old,
      StepEventStateMetadata now,
      List<String> diffs) {
    return new StepEventMetadata(op, urn, type, old, now, List.of(), diffs, Map.of(), false, null);
  }

  /** A step announced: planned in a preview, about to run in an update. */
  static EngineEvent pre(StepEventMetadata step, boolean planning) {
    return new EngineEvent(
        1, 0, null, null, null, null, null, new ResourcePreEvent(step, planning), null, null, null);
  }

  /** A step's outcome. */
  static EngineEvent outputs(StepEventMetadata step, boolean planning) {
    return new EngineEvent(
        2,
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        new ResourceOutputsEvent(step, planning),
        null,
        null);
  }

  /** A cancel, diagnostic, summary or failed-step event. */
  static EngineEvent of(Object payload) {
    return new EngineEvent(
        3,
        0,
        payload instanceof CancelEvent c ? c : null,
        null,
        payload instanceof DiagnosticEvent d ? d : null,
        null,
        payload instanceof SummaryEvent s ? s : null,
        null,
        null,
        payload instanceof ResourceOperationFailedEvent f ? f : null,
        null);
  }
}
