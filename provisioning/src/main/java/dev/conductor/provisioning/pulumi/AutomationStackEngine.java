package dev.conductor.provisioning.pulumi;

import com.pulumi.automation.AutomationException;
import com.pulumi.automation.ConfigValue;
import com.pulumi.automation.DestroyOptions;
import com.pulumi.automation.LocalPulumiCommand;
import com.pulumi.automation.LocalPulumiCommandOptions;
import com.pulumi.automation.LocalWorkspace;
import com.pulumi.automation.LocalWorkspaceOptions;
import com.pulumi.automation.OutputValue;
import com.pulumi.automation.PreviewOptions;
import com.pulumi.automation.ProjectBackend;
import com.pulumi.automation.ProjectRuntimeName;
import com.pulumi.automation.ProjectSettings;
import com.pulumi.automation.RefreshOptions;
import com.pulumi.automation.StackNotFoundException;
import com.pulumi.automation.UpOptions;
import com.pulumi.automation.UpResult;
import com.pulumi.automation.WorkspaceStack;
import com.pulumi.automation.events.EngineEvent;
import dev.conductor.provisioning.ProvisioningException;
import jakarta.annotation.Nullable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The real engine: the Pulumi CLI driven through the Automation API, an inline program in this JVM,
 * one workspace directory per stack. The CLI is looked up once, before the first operation.
 */
public final class AutomationStackEngine implements StackEngine {
  private final PulumiBackend backend;
  private final String path;
  private volatile @Nullable LocalPulumiCommand command;

  /** {@code path}: the PATH the CLI is looked up in (the conductor's own). */
  public AutomationStackEngine(PulumiBackend backend, String path) {
    this.backend = backend;
    this.path = path;
  }

  /**
   * The CLI every workspace of this engine runs; found and version-checked on first use, so that
   * each workspace need not run {@code pulumi version} again. The Automation API starts the CLI by
   * name, from the PATH it was found on.
   */
  private LocalPulumiCommand cli() throws AutomationException {
    LocalPulumiCommand found = command;
    if (found == null) {
      PulumiCli.locate(path);
      found =
          LocalPulumiCommand.create(
              LocalPulumiCommandOptions.builder().skipVersionCheck(true).build());
      command = found;
    }
    return found;
  }

  @Override
  public Map<String, Object> up(StackRequest request, Consumer<EngineEvent> events) {
    return call(
        request,
        "up",
        true,
        stack -> {
          UpResult result = stack.up(UpOptions.builder().onEvent(events).build());
          Map<String, Object> outputs = new LinkedHashMap<>();
          for (Map.Entry<String, OutputValue> output : result.outputs().entrySet()) {
            outputs.put(output.getKey(), output.getValue().value());
          }
          return outputs;
        });
  }

  @Override
  public void preview(StackRequest request, Consumer<EngineEvent> events) {
    call(
        request,
        "preview",
        true,
        stack -> stack.preview(PreviewOptions.builder().onEvent(events).build()));
  }

  @Override
  public void refresh(StackRequest request, Refresh mode, Consumer<EngineEvent> events) {
    call(
        request,
        "refresh",
        true,
        stack ->
            stack.refresh(
                RefreshOptions.builder()
                    .previewOnly(mode == Refresh.REPORT_ONLY)
                    .clearPendingCreates(mode == Refresh.CLEAR_PENDING)
                    .onEvent(events)
                    .build()));
  }

  @Override
  public boolean hasPendingOperations(StackRequest request) {
    // Exporting the state needs no configuration.
    return call(
        request,
        "export",
        false,
        stack -> {
          Object pending = stack.exportStack().deployment().get("pending_operations");
          return pending instanceof Collection<?> operations && !operations.isEmpty();
        });
  }

  @Override
  public void destroy(StackRequest request, Consumer<EngineEvent> events) {
    try (LocalWorkspace workspace = workspace(request)) {
      WorkspaceStack stack;
      try {
        stack = WorkspaceStack.select(request.stack(), workspace);
      } catch (StackNotFoundException absent) {
        deleteTree(request.workDir());
        return;
      }
      try (stack) {
        stack.destroy(DestroyOptions.builder().onEvent(events).build());
        workspace.removeStack(request.stack());
      }
    } catch (Exception e) {
      throw failure(request, "destroy", e);
    }
    deleteTree(request.workDir());
  }

  /**
   * Stops this process's CLI run on the stack with SIGINT, as Ctrl-C would: Pulumi then cancels the
   * update gracefully and releases the stack's lock. The Automation API only waits for the process,
   * so interrupting the waiting thread alone would leave the update running.
   */
  @Override
  public void cancel(StackRequest request) {
    ProcessHandle.current()
        .descendants()
        .filter(process -> runsOn(process, request.stack()))
        .forEach(AutomationStackEngine::interrupt);
  }

  /** Java can only send SIGTERM or SIGKILL itself; older Pulumi CLIs exit at once on SIGTERM. */
  private static void interrupt(ProcessHandle process) {
    try {
      Process kill = new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start();
      if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      // No kill command: fall back to SIGTERM below.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.destroy();
  }

  private static boolean runsOn(ProcessHandle process, String stack) {
    Optional<String> command = process.info().command();
    Optional<String[]> arguments = process.info().arguments();
    return command.isPresent()
        && command.get().endsWith("pulumi")
        && arguments.isPresent()
        && Stream.of(arguments.get())
            .anyMatch(arg -> arg.equals(stack) || arg.endsWith("/" + stack));
  }

  private interface StackCall<T> {
    T apply(WorkspaceStack stack) throws AutomationException;
  }

  /** {@code configured}: whether the body needs the request's configuration set first. */
  private <T> T call(
      StackRequest request, String operation, boolean configured, StackCall<T> body) {
    try (LocalWorkspace workspace = workspace(request);
        WorkspaceStack stack = WorkspaceStack.createOrSelect(request.stack(), workspace)) {
      if (configured) {
        configure(stack, request);
      }
      return body.apply(stack);
    } catch (Exception e) {
      throw failure(request, operation, e);
    }
  }

  /**
   * Sets the request's configuration. A generated value (a password) the stack already holds is
   * kept; a workspace that lacks it (another replica's, or a new home) takes it back from the
   * stack's outputs, so the value never changes behind the resources that were made with it.
   */
  private static void configure(WorkspaceStack stack, StackRequest request)
      throws AutomationException {
    Map<String, ConfigValue> config = new LinkedHashMap<>();
    request
        .config()
        .forEach(
            (key, value) ->
                config.put(key, new ConfigValue(value, request.secretConfig().contains(key))));
    if (!request.generatedConfig().isEmpty()) {
      Set<String> existing = stack.getAllConfig().keySet();
      Map<String, OutputValue> outputs = null;
      for (Map.Entry<String, String> generated : request.generatedConfig().entrySet()) {
        String key = generated.getKey();
        if (existing.contains(key)) {
          config.remove(key);
          continue;
        }
        if (outputs == null) {
          outputs = stack.getOutputs();
        }
        String kept = StackOutputs.find(outputs, generated.getValue());
        if (kept != null) {
          config.put(key, new ConfigValue(kept, request.secretConfig().contains(key)));
        }
      }
    }
    if (!config.isEmpty()) {
      stack.setAllConfig(config);
    }
  }

  private static ProvisioningException failure(
      StackRequest request, String operation, Exception e) {
    if (e instanceof ProvisioningException provisioning) {
      return provisioning;
    }
    if (e instanceof AutomationException automation) {
      return StackErrors.map(request.stack(), operation, automation);
    }
    return new ProvisioningException(
        "pulumi "
            + operation
            + " of stack "
            + request.stack()
            + " failed: "
            + StackErrors.scrub(String.valueOf(e.getMessage())),
        false,
        null);
  }

  private LocalWorkspace workspace(StackRequest request) throws AutomationException {
    LocalPulumiCommand pulumi = cli();
    try {
      Files.createDirectories(request.workDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create workspace " + request.workDir(), e);
    }
    ProjectSettings project =
        ProjectSettings.builder(backend.project(), ProjectRuntimeName.JAVA)
            .backend(ProjectBackend.builder().url(backend.url()).build())
            .build();
    return LocalWorkspace.create(
        LocalWorkspaceOptions.builder()
            .workDir(request.workDir())
            .pulumiCommand(pulumi)
            .program(request.program())
            .projectSettings(project)
            .secretsProvider(backend.secretsProvider())
            .environmentVariables(backend.environment())
            .build());
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(AutomationStackEngine::deleteQuietly);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove workspace " + dir, e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
