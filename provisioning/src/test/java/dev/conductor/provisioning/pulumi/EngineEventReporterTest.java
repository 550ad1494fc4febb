package dev.conductor.provisioning.pulumi;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.conductor.provisioning.RecordingProgress;
import dev.conductor.provisioning.ResourceDiff;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Engine events as the Automation API delivers them, built with its own public types. */
class EngineEventReporterTest {
  private static final String DB_URN =
      "urn:pulumi:tenant-acme::conductor-tenants::azure-native:dbforpostgresql:Database::acme-db";
  private static final String DB_TYPE = "azure-native:dbforpostgresql:Database";

  private final RecordingProgress progress = new RecordingProgress();
  private final MutableClock clock = new MutableClock();
  private final EngineEventReporter reporter = new EngineEventReporter(progress, clock);

  @Test
  void aResourceStepIsReportedWhenItStartsAndEndsWithItsDuration() {
    reporter.accept(pre(step(OperationType.CREATE, DB_URN, List.of()), false));
    clock.advance(Duration.ofMillis(4200));
    reporter.accept(outputs(step(OperationType.CREATE, DB_URN, List.of()), false));

    assertThat(progress.events())
        .containsExactly(
            "INFO create " + DB_TYPE + " acme-db …",
            "INFO Created " + DB_TYPE + " acme-db in 4.2 s");
  }

  @Test
  void unchangedResourcesAreOnlyCountedInTheSummary() {
    reporter.accept(pre(step(OperationType.SAME, DB_URN, List.of()), false));
    reporter.accept(outputs(step(OperationType.SAME, DB_URN, List.of()), false));
    reporter.accept(
        event(
            new SummaryEvent(
                false,
                34,
                Map.of(OperationType.SAME, 7, OperationType.CREATE, 2, OperationType.UPDATE, 1),
                Map.of())));

    assertThat(progress.events())
        .containsExactly("INFO pulumi: 2 created, 7 unchanged, 1 updated in 34 s");
  }

  @Test
  void aFailedStepAndEngineErrorsAreWarningsWithoutSecrets() {
    reporter.accept(pre(step(OperationType.UPDATE, DB_URN, List.of("sku")), false));
    clock.advance(Duration.ofSeconds(2));
    reporter.accept(
        event(
            new ResourceOperationFailedEvent(step(OperationType.UPDATE, DB_URN, List.of()), 1, 3)));
    reporter.accept(
        event(
            new DiagnosticEvent(
                DB_URN,
                "error: ",
                "sku B9 is unknown; password=hunter2\nsecond line",
                "",
                "error",
                null,
                false)));
    reporter.accept(
        event(new DiagnosticEvent(null, null, "debug chatter", "", "debug", null, false)));

    assertThat(progress.events())
        .containsExactly(
            "INFO update " + DB_TYPE + " acme-db …",
            "WARN failed to update " + DB_TYPE + " acme-db after 2.0 s",
            "WARN pulumi error: sku B9 is unknown; password=****");
  }

  @Test
  void aPreviewCollectsThePlannedChanges() {
    reporter.accept(pre(step(OperationType.UPDATE, DB_URN, List.of("sku", "storage")), true));
    reporter.accept(pre(step(OperationType.SAME, DB_URN, List.of()), true));

    assertThat(reporter.changes()).containsExactly("update " + DB_TYPE + " acme-db (sku, storage)");
    assertThat(progress.events())
        .containsExactly("INFO would update " + DB_TYPE + " acme-db (sku, storage)");
  }

  @Test
  void aRefreshReportsChangedAndDeletedResourcesAsDrift() {
    StepEventStateMetadata state = state(DB_URN);
    reporter.accept(
        outputs(
            new StepEventMetadata(
                OperationType.REFRESH,
                DB_URN,
                DB_TYPE,
                state,
                state,
                List.of(),
                List.of("tags"),
                Map.of(),
                false,
                null),
            false));
    String appUrn =
        "urn:pulumi:tenant-acme::conductor-tenants::azure-native:app:ContainerApp::acme-app";
    reporter.accept(
        outputs(
            new StepEventMetadata(
                OperationType.REFRESH,
                appUrn,
                "azure-native:app:ContainerApp",
                state(appUrn),
                null,
                List.of(),
                List.of(),
                Map.of(),
                false,
                null),
            false));
    reporter.accept(
        outputs(
            new StepEventMetadata(
                OperationType.REFRESH,
                DB_URN,
                DB_TYPE,
                state,
                state,
                List.of(),
                List.of(),
                Map.of(),
                false,
                null),
            false));

    assertThat(reporter.changes())
        .containsExactly(
            DB_TYPE + " acme-db: changed (tags)",
            "azure-native:app:ContainerApp acme-app: deleted outside Pulumi");
    assertThat(progress.events()).allMatch(line -> line.startsWith("WARN drift: "));
  }

  @Test
  void driftAnnouncedByBothTheStepAndItsOutcomeIsReportedOnce() {
    StepEventStateMetadata state = state(DB_URN);
    StepEventMetadata step =
        new StepEventMetadata(
            OperationType.REFRESH,
            DB_URN,
            DB_TYPE,
            state,
            state,
            List.of(),
            List.of("sku"),
            Map.of(),
            false,
            null);

    reporter.accept(pre(step, true));
    reporter.accept(outputs(step, true));

    assertThat(reporter.changes()).containsExactly(DB_TYPE + " acme-db: changed (sku)");
  }

  @Test
  void aPlannedReplacementOfWhatHoldsDataIsMarkedAsDataLoss() {
    String appUrn = "urn:pulumi:s::p::azure-native:app:ContainerApp::acme-app";
    reporter.accept(pre(step(OperationType.REPLACE, DB_URN, List.of("serverName")), true));
    reporter.accept(
        pre(
            new StepEventMetadata(
                OperationType.REPLACE,
                appUrn,
                "azure-native:app:ContainerApp",
                null,
                state(appUrn),
                List.of(),
                List.of("image"),
                Map.of(),
                false,
                null),
            true));

    ResourceDiff diff = reporter.diff();

    assertThat(diff.changes()).hasSize(2);
    assertThat(diff.dataLoss()).containsExactly("replace " + DB_TYPE + " acme-db (serverName)");
    assertThat(diff.dataLossRefusal("plan change dev → enterprise"))
        .contains(
            "plan change dev → enterprise refused: it would delete or replace what holds the"
                + " tenant's data (replace "
                + DB_TYPE
                + " acme-db (serverName)); migrate the data first");
    assertThat(new ResourceDiff(diff.changes()).dataLossRefusal("plan change")).isEmpty();
  }

  @Test
  void cancellationIsReported() {
    reporter.accept(event(new CancelEvent()));

    assertThat(progress.events()).containsExactly("WARN pulumi: the update was cancelled");
  }

  private static StepEventMetadata step(OperationType op, String urn, List<String> diffs) {
    return new StepEventMetadata(
        op, urn, DB_TYPE, null, state(urn), List.of(), diffs, Map.of(), false, null);
  }

  private static StepEventStateMetadata state(String urn) {
    return new StepEventStateMetadata(
        urn, null, true, false, "id-1", null, false, Map.of(), Map.of(), null, List.of());
  }

  private static EngineEvent pre(StepEventMetadata step, boolean planning) {
    return new EngineEvent(
        1, 0, null, null, null, null, null, new ResourcePreEvent(step, planning), null, null, null);
  }

  private static EngineEvent outputs(StepEventMetadata step, boolean planning) {
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

  private static EngineEvent event(Object payload) {
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

  private static final class MutableClock extends Clock {
    private Instant now = Instant.parse("2026-11-22T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
