package dev.conductor.provisioning.local;

import dev.conductor.provisioning.ProgressListener;
import dev.conductor.provisioning.ResourceDiff;
import java.util.ArrayList;
import java.util.List;

/** Turns inspection findings into progress lines and a {@link ResourceDiff}. */
final class DiffReport implements Inspection {
  private final ProgressListener progress;
  private final boolean preview;
  private final List<String> changes = new ArrayList<>();

  private DiffReport(ProgressListener progress, boolean preview) {
    this.progress = progress;
    this.preview = preview;
  }

  /** Drift, as warnings: "database tenant_acme: missing". */
  static DiffReport refresh(ProgressListener progress) {
    return new DiffReport(progress, false);
  }

  /** What provision would do: "database tenant_acme: create (missing)". */
  static DiffReport preview(ProgressListener progress) {
    return new DiffReport(progress, true);
  }

  @Override
  public void matches(String resource) {
    progress.info(resource + (preview ? ": no change" : ": in sync"));
  }

  @Override
  public void differs(String resource, String drift, String change) {
    if (preview) {
      String line = resource + ": " + change + " (" + drift + ")";
      changes.add(line);
      progress.info(line);
    } else {
      String line = resource + ": " + drift;
      changes.add(line);
      progress.warn(line);
    }
  }

  ResourceDiff diff() {
    return new ResourceDiff(changes);
  }
}
