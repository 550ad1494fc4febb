package dev.conductor.provisioning;

import java.util.List;

/**
 * Differences between a tenant's resources and what its spec asks for, one readable line each
 * ("database tenant_acme: missing", "~ azure-native:app:ContainerApp acme-app: update"). Empty
 * means in sync. Lines never carry secrets.
 */
public record ResourceDiff(List<String> changes) {
  public static final ResourceDiff NONE = new ResourceDiff(List.of());

  public ResourceDiff {
    changes = List.copyOf(changes);
  }

  public boolean isEmpty() {
    return changes.isEmpty();
  }
}
