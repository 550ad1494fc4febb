package dev.conductor.provisioning.pulumi;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import com.pulumi.Context;
import com.pulumi.core.Output;
import com.pulumi.core.internal.OutputData;
import com.pulumi.test.Mocks;
import com.pulumi.test.PulumiTest;
import com.pulumi.test.TestOptions;
import com.pulumi.test.TestResult;
import com.pulumi.test.internal.MockMonitor;
import com.pulumi.test.internal.PulumiTestInternal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import pulumirpc.Resource.RegisterResourceRequest;
import pulumirpc.Resource.RegisterResourceResponse;

/**
 * Runs a tenant program against Pulumi's mock engine with stack configuration, and keeps what the
 * program registered. The public {@code PulumiTest} API takes no configuration, so this uses the
 * builder behind it ({@code PulumiTestInternal}, public but marked internal). Mocked resources echo
 * their inputs, plus what {@code extraState} adds (the values a provider computes).
 */
public final class ProgramRun {
  /** How Pulumi marks a secret value on the wire. */
  private static final String SECRET_SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";

  private static final String SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";

  private final TestResult result;
  private final List<Mocks.ResourceArgs> resources;
  private final Map<String, RegisterResourceRequest> requests;

  private ProgramRun(
      TestResult result,
      List<Mocks.ResourceArgs> resources,
      Map<String, RegisterResourceRequest> requests) {
    this.result = result;
    this.resources = resources;
    this.requests = requests;
  }

  /** Runs the program and fails the test if the program failed. */
  public static ProgramRun run(
      TenantStackConfig config,
      Consumer<Context> program,
      UnaryOperator<Mocks.ResourceArgs> extraState) {
    ProgramRun run = attempt(config.toConfig(), config.secretKeys(), program, extraState);
    if (!run.failures().isEmpty()) {
      throw new AssertionError("the program failed: " + run.failures());
    }
    return run;
  }

  /** Runs the program, which may fail: see {@link #failures()}. */
  public static ProgramRun attempt(
      Map<String, String> config,
      Set<String> secretKeys,
      Consumer<Context> program,
      UnaryOperator<Mocks.ResourceArgs> extraState) {
    List<Mocks.ResourceArgs> resources = Collections.synchronizedList(new ArrayList<>());
    Map<String, RegisterResourceRequest> requests =
        Collections.synchronizedMap(new LinkedHashMap<>());
    Mocks mocks =
        args -> {
          resources.add(args);
          Mocks.ResourceArgs state = extraState.apply(args);
          return CompletableFuture.completedFuture(
              Mocks.ResourceResult.of(Optional.of(args.name + "-id"), state.inputs));
        };
    try {
      TestResult result =
          PulumiTestInternal.builder()
              .options(TestOptions.builder().projectName("conductor").stackName("tenant").build())
              .mocks(mocks)
              .config(config, secretKeys)
              .monitorDecorator(
                  monitor ->
                      new MockMonitor(mocks, PulumiTestInternal.mockLog()) {
                        @Override
                        public CompletableFuture<RegisterResourceResponse> registerResourceAsync(
                            com.pulumi.resources.Resource resource,
                            RegisterResourceRequest request) {
                          requests.put(request.getType() + "::" + request.getName(), request);
                          return super.registerResourceAsync(resource, request);
                        }
                      })
              .build()
              .runTest(program);
      return new ProgramRun(result, List.copyOf(resources), Map.copyOf(requests));
    } finally {
      PulumiTest.cleanup();
    }
  }

  public TestResult result() {
    return result;
  }

  /** The messages of what made the program fail, empty if it ran. */
  public List<String> failures() {
    List<String> failures = new ArrayList<>(result.errors());
    result.exceptions().forEach(e -> failures.add(String.valueOf(e.getMessage())));
    return failures;
  }

  /** The exception a program threw, under the engine's wrappers. */
  public static Throwable rootCause(Throwable thrown) {
    Throwable cause = thrown;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    return cause;
  }

  public List<Mocks.ResourceArgs> resources() {
    return resources;
  }

  public List<Mocks.ResourceArgs> resources(String type) {
    return resources.stream().filter(r -> r.type.equals(type)).toList();
  }

  /** The one resource of {@code type}; fails if there is none or more than one. */
  public Mocks.ResourceArgs resource(String type) {
    List<Mocks.ResourceArgs> matching = resources(type);
    if (matching.size() != 1) {
      throw new AssertionError("expected one " + type + ", found " + matching.size());
    }
    return matching.get(0);
  }

  public Mocks.ResourceArgs resource(String type, String name) {
    return resources(type).stream()
        .filter(r -> r.name.equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + type + " named " + name));
  }

  /** The URNs the resource was registered as depending on. */
  public List<String> dependencies(String type, String name) {
    return request(type, name).getDependenciesList();
  }

  /** The URN a resource was registered under (as others name it in their dependencies). */
  public boolean dependsOn(String type, String name, String dependencyType, String dependencyName) {
    return dependencies(type, name).stream()
        .anyMatch(urn -> urn.endsWith(dependencyType + "::" + dependencyName));
  }

  /**
   * Whether the input at {@code path} (property names and list indices) was sent to the engine as a
   * secret, itself or as part of a secret parent.
   */
  public boolean isSecretInput(String type, String name, Object... path) {
    Value value = Value.newBuilder().setStructValue(request(type, name).getObject()).build();
    for (Object step : path) {
      if (isSecret(value)) {
        return true;
      }
      value =
          step instanceof Integer index
              ? value.getListValue().getValues(index)
              : value.getStructValue().getFieldsOrThrow((String) step);
    }
    return isSecret(value);
  }

  /** Stack outputs as plain values, as the Automation API hands them to the driver. */
  public Map<String, Object> outputValues() {
    Map<String, Object> values = new LinkedHashMap<>();
    result.outputs().forEach((key, output) -> values.put(key, data(output).getValueNullable()));
    return values;
  }

  public boolean isSecretOutput(String key) {
    return data(result.outputs().get(key)).isSecret();
  }

  private RegisterResourceRequest request(String type, String name) {
    RegisterResourceRequest request = requests.get(type + "::" + name);
    if (request == null) {
      throw new AssertionError("no " + type + " named " + name + " was registered");
    }
    return request;
  }

  private static boolean isSecret(Value value) {
    Struct struct = value.getStructValue();
    return value.hasStructValue()
        && struct.containsFields(SECRET_SIGNATURE_KEY)
        && struct.getFieldsOrThrow(SECRET_SIGNATURE_KEY).getStringValue().equals(SECRET_SIGNATURE);
  }

  @SuppressWarnings("unchecked")
  private static OutputData<Object> data(Output<?> output) {
    return PulumiTestInternal.extractOutputData((Output<Object>) output);
  }
}
