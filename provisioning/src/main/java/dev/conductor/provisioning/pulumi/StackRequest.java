package dev.conductor.provisioning.pulumi;

import com.pulumi.Context;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One tenant stack: its name, its own workspace directory (never shared: parallel stack selection
 * in one workspace corrupts workspace.json, pulumi issue 8186), the program and its configuration.
 * {@code secretConfig} names the configuration keys Pulumi must store encrypted; {@code
 * generatedConfig} maps the keys generated afresh for every request (a password) to the stack
 * output that holds their value ({@code databaseSecrets.password}): the stack keeps the first
 * value, so that a preview or refresh never sees a change the operator did not ask for.
 */
public record StackRequest(
    String stack,
    Path workDir,
    Consumer<Context> program,
    Map<String, String> config,
    Set<String> secretConfig,
    Map<String, String> generatedConfig) {

  public StackRequest {
    config = Map.copyOf(config);
    secretConfig = Set.copyOf(secretConfig);
    generatedConfig = Map.copyOf(generatedConfig);
  }

  @Override
  public String toString() {
    return "StackRequest[" + stack + " in " + workDir + ", config keys " + config.keySet() + "]";
  }
}
