package dev.conductor.provisioning.pulumi;

import java.util.Map;

/**
 * Where a tenant stack is deployed, with the shared infrastructure its program builds on. Each
 * target has one program: {@code azure} → {@code AzureTenantStack}, {@code docker} → {@code
 * DockerTenantStack}.
 */
public sealed interface StackTarget permits AzureTarget, DockerTarget {

  /** The target's name, also the value of the {@code conductor:target} configuration key. */
  String kind();

  /** Configuration entries of this target, keys without namespace. */
  Map<String, String> toConfig();
}
