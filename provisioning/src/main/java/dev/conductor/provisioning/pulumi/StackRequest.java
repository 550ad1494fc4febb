package dev.conductor.provisioning.pulumi;

import com.pulumi.Context;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One tenant stack: its name, its own workspace directory (never shared: parallel stack selection
 * in one workspace corrupts workspace.json, pulumi issue 8186), the program and its configuration.
 * {@code secretConfig} names the configuration keys Pulumi must store encrypted.
 */
public record StackRequest(
    String stack,
    Path workDir,
    Consumer<Context> program,
    Map<String, String> config,
    Set<String> secretConfig) {

  public StackRequest {
    config = Map.copyOf(config);
    secretConfig = Set.copyOf(secretConfig);
  }

  @Override
  public String toString() {
    return "StackRequest[" + stack + " in " + workDir + ", config keys " + config.keySet() + "]";
  }
}
