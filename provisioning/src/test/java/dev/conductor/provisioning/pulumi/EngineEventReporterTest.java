package dev.conductor.provisioning.pulumi;

import static dev.conductor.provisioning.pulumi.EngineEvents.of;
import static dev.conductor.provisioning.pulumi.EngineEvents.outputs;
import static dev.conductor.provisioning.pulumi.EngineEvents.pre;
import static dev.conductor.provisioning.pulumi.EngineEvents.state;
import static dev.conductor.provisioning.pulumi.EngineEvents.step;
import static dev.conductor.provisioning.pulumi.EngineEvents.urn;
import static org.assertj.core.api.Assertions.assertThat;

import com.pulumi.automation.OperationType;
import com.pulumi.automation.events.CancelEvent;
import com.pulumi.automation.events.DiagnosticEvent;
import com.pulumi.automation.events.ResourceOperationFailedEvent;
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
  private static final String DB_TYPE = "azure-native:dbforpostgresql:Database";
  private static final String DB_URN = urn(DB_TYPE, "acme-db");

  private final RecordingProgress progress = new RecordingProgress();
  private final MutableClock clock = new MutableClock();
  private final EngineEventReporter reporter = new EngineEventReporter(progress, clock);

  @Test
  void aResourceStepIsReportedWhenItStartsAndEndsWithItsDuration() {
    reporter.accept(pre(dbStep(OperationType.CREATE, DB_URN, List.of()), false));
    clock.advance(Duration.ofMillis(4200));
    reporter.accept(outputs(dbStep(OperationType.CREATE, DB_URN, List.of()), false));

    assertThat(progress.events())
        .containsExactly(
            "INFO create " + DB_TYPE + " acme-db …",
            "INFO Created " + DB_TYPE + " acme-db in 4.2 s");
    assertThat(progress.steps()).containsExactly(DB_TYPE + " create ok 4200 ms");
  }

  @Test
  void unchangedResourcesAreOnlyCountedInTheSummary() {
    reporter.accept(pre(dbStep(OperationType.SAME, DB_URN, List.of()), false));
    reporter.accept(outputs(dbStep(OperationType.SAME, DB_URN, List.of()), false));
    reporter.accept(
        of(
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
    reporter.accept(pre(dbStep(OperationType.UPDATE, DB_URN, List.of("sku")), false));
    clock.advance(Duration.ofSeconds(2));
    reporter.accept(
        of(
            new ResourceOperationFailedEvent(
                dbStep(OperationType.UPDATE, DB_URN, List.of()), 1, 3)));
    reporter.accept(
        of(
            new DiagnosticEvent(
                DB_URN,
                "error: ",
                "sku B9 is unknown; password=hunter2\nsecond line",
                "",
                "error",
                null,
                false)));
    reporter.accept(of(new DiagnosticEvent(null, null, "debug chatter", "", "debug", null, false)));

    assertThat(progress.events())
        .containsExactly(
            "INFO update " + DB_TYPE + " acme-db …",
            "WARN failed to update " + DB_TYPE + " acme-db after 2.0 s",
            "WARN pulumi error: sku B9 is unknown; password=****");
    assertThat(progress.steps()).containsExactly(DB_TYPE + " update failed 2000 ms");
  }

  @Test
  void aPreviewCollectsThePlannedChanges() {
    reporter.accept(pre(dbStep(OperationType.UPDATE, DB_URN, List.of("sku", "storage")), true));
    reporter.accept(pre(dbStep(OperationType.SAME, DB_URN, List.of()), true));

    assertThat(reporter.diff().changes())
        .containsExactly("update " + DB_TYPE + " acme-db (sku, storage)");
    assertThat(progress.events())
        .containsExactly("INFO would update " + DB_TYPE + " acme-db (sku, storage)");
  }

  @Test
  void aRefreshReportsChangedAndDeletedResourcesAsDrift() {
    StepEventStateMetadata state = state(DB_URN);
    reporter.accept(
        outputs(
            step(OperationType.REFRESH, DB_URN, DB_TYPE, state, state, List.of("tags")), false));
    String appUrn = urn("azure-native:app:ContainerApp", "acme-app");
    reporter.accept(
        outputs(
            step(
                OperationType.REFRESH,
                appUrn,
                "azure-native:app:ContainerApp",
                state(appUrn),
                null,
                List.of()),
            false));
    reporter.accept(
        outputs(step(OperationType.REFRESH, DB_URN, DB_TYPE, state, state, List.of()), false));

    assertThat(reporter.diff().changes())
        .containsExactly(
            DB_TYPE + " acme-db: changed (tags)",
            "azure-native:app:ContainerApp acme-app: deleted outside Pulumi");
    assertThat(progress.events()).allMatch(line -> line.startsWith("WARN drift: "));
  }

  @Test
  void driftAnnouncedByBothTheStepAndItsOutcomeIsReportedOnce() {
    StepEventStateMetadata state = state(DB_URN);
    StepEventMetadata step =
        step(OperationType.REFRESH, DB_URN, DB_TYPE, state, state, List.of("sku"));

    reporter.accept(pre(step, true));
    reporter.accept(outputs(step, true));

    assertThat(reporter.diff().changes()).containsExactly(DB_TYPE + " acme-db: changed (sku)");
  }

  @Test
  void aPlannedReplacementOfWhatHoldsDataIsMarkedAsDataLoss() {
    String appUrn = urn("azure-native:app:ContainerApp", "acme-app");
    reporter.accept(pre(dbStep(OperationType.REPLACE, DB_URN, List.of("serverName")), true));
    reporter.accept(
        pre(
            step(
                OperationType.REPLACE,
                appUrn,
                "azure-native:app:ContainerApp",
                null,
                state(appUrn),
                List.of("image")),
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
    reporter.accept(of(new CancelEvent()));

    assertThat(progress.events()).containsExactly("WARN pulumi: the update was cancelled");
  }

  /** A step on the database, which exists afterwards. */
  private static StepEventMetadata dbStep(OperationType op, String urn, List<String> diffs) {
    return step(op, urn, DB_TYPE, null, state(urn), diffs);
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
