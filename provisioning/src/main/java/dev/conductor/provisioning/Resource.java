package dev.conductor.provisioning;

import java.util.Map;

/**
 * One provisioned resource: identifiers that may be shown to operators, and secrets kept apart so
 * that the conductor encrypts them and never prints them.
 */
public record Resource(Map<String, String> identifiers, Map<String, String> secrets) {
  public Resource {
    identifiers = Map.copyOf(identifiers);
    secrets = Map.copyOf(secrets);
  }

  public static Resource of(Map<String, String> identifiers) {
    return new Resource(identifiers, Map.of());
  }

  @Override
  public String toString() {
    return "Resource" + identifiers + " secrets=" + secrets.keySet();
  }
}
