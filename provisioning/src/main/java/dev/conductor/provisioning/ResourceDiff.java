package dev.conductor.provisioning;

import java.util.List;
import java.util.Optional;

/**
 * Differences between a tenant's resources and what its spec asks for, one readable line each
 * ("database tenant_acme: missing", "update azure-native:app:ContainerApp acme-app"). Empty means
 * in sync. {@code dataLoss}: the changes among them that would delete or replace a resource holding
 * the tenant's data (its database, server, volume, topic); a plan update refuses those. Lines never
 * carry secrets.
 */
public record ResourceDiff(List<String> changes, List<String> dataLoss) {
  public ResourceDiff {
    changes = List.copyOf(changes);
    dataLoss = List.copyOf(dataLoss);
  }

  public ResourceDiff(List<String> changes) {
    this(changes, List.of());
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * Why {@code change} must not go ahead, if it would lose the tenant's data: moving a database
   * between a shared and a dedicated server, say, replaces it empty. Such a move is a data
   * migration, not a plan update.
   */
  public Optional<String> dataLossRefusal(String change) {
    if (dataLoss.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        change
            + " refused: it would delete or replace what holds the tenant's data ("
            + String.join("; ", dataLoss)
            + "); migrate the data first");
  }
}
