package dev.conductor.provisioning.pulumi;

import com.pulumi.Context;
import dev.conductor.provisioning.TenantSpec;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** Where tenant stacks go ({@code azure}, {@code docker}): the program and its configuration. */
public interface PulumiTarget {

  String name();

  Consumer<Context> program();

  /** The stack configuration for one tenant, keys as Pulumi expects them ({@code ns:key}). */
  Map<String, String> config(TenantSpec tenant);

  /** The configuration keys whose values Pulumi must encrypt. */
  Set<String> secretConfig(TenantSpec tenant);
}
