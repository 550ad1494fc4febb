package dev.conductor.provisioning.pulumi;

import com.pulumi.Context;
import com.pulumi.automation.OutputValue;
import com.pulumi.core.Output;
import dev.conductor.provisioning.AppRegistration;
import dev.conductor.provisioning.Resource;
import dev.conductor.provisioning.WorkerTemplate;
import jakarta.annotation.Nullable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The contract between tenant programs and the driver: each program exports one output per resource
 * kind, {@code <kind>} with the identifiers and {@code <kind>Secrets} with the secrets (always a
 * Pulumi secret), and the driver turns the stack's outputs back into {@link Resource}s. Identifiers
 * follow {@link dev.conductor.provisioning.ProvisionedResources}; a program may leave a kind out
 * (the docker target makes no queue: the conductor's own bus makes the topology).
 */
public final class StackOutputs {
  public static final String DATABASE = "database";
  public static final String QUEUE = "queue";
  public static final String APP = "app";
  public static final String CONTAINER = "container";
  public static final List<String> KINDS = List.of(DATABASE, QUEUE, APP, CONTAINER);
  public static final String SECRETS_SUFFIX = "Secrets";

  private StackOutputs() {}

  /** The program's side: exports {@code kind} and {@code kind + "Secrets"}, the latter secret. */
  public static void export(
      Context ctx,
      String kind,
      Output<Map<String, String>> identifiers,
      Output<Map<String, String>> secrets) {
    if (!KINDS.contains(kind)) {
      throw new IllegalArgumentException("resource kind must be one of " + KINDS + ", got " + kind);
    }
    ctx.export(kind, identifiers);
    ctx.export(kind + SECRETS_SUFFIX, secrets.asSecret());
  }

  /** Exports {@code kind} with its identifiers, and no secrets. */
  public static void export(Context ctx, String kind, Output<Map<String, String>> identifiers) {
    export(ctx, kind, identifiers, Output.of(Map.of()));
  }

  /**
   * Exports the {@code database} kind: where it is and who owns it, with the owner's password as
   * its one secret.
   */
  public static void exportDatabase(
      Context ctx,
      Output<String> host,
      Output<String> port,
      String database,
      String role,
      Output<String> password) {
    export(
        ctx,
        DATABASE,
        Output.tuple(host, port)
            .applyValue(
                address ->
                    Map.of(
                        "host",
                        address.t1,
                        "port",
                        address.t2,
                        "database",
                        database,
                        "role",
                        role)),
        password.applyValue(secret -> Map.of("password", secret)));
  }

  /** Exports the {@code container} kind: the worker template's identifiers, no secrets. */
  public static void exportContainer(Context ctx, WorkerTemplate worker) {
    export(ctx, CONTAINER, Output.of(containerIdentifiers(worker)));
  }

  /** Identifiers of the {@code app} kind every program exports, before any target extras. */
  public static Map<String, String> appIdentifiers(AppRegistration app) {
    return app.identifiers();
  }

  /** Identifiers of the {@code container} kind: environment values may be secrets, so keys only. */
  public static Map<String, String> containerIdentifiers(WorkerTemplate worker) {
    return worker.identifiers();
  }

  /**
   * The driver's side: the stack's output values as the Automation API returns them (plain maps of
   * strings, secrets already decrypted), one {@link Resource} per exported kind, keyed by kind.
   */
  public static Map<String, Resource> toResources(Map<String, Object> outputValues) {
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (String kind : KINDS) {
      Object identifiers = outputValues.get(kind);
      Object secrets = outputValues.get(kind + SECRETS_SUFFIX);
      if (identifiers == null) {
        if (secrets != null) {
          throw new IllegalArgumentException(
              "stack output " + kind + SECRETS_SUFFIX + " has no " + kind + " output beside it");
        }
        continue;
      }
      resources.put(
          kind,
          new Resource(
              strings(kind, identifiers),
              secrets == null ? Map.of() : strings(kind + SECRETS_SUFFIX, secrets)));
    }
    return resources;
  }

  /**
   * The value at {@code output.key} (e.g. {@code databaseSecrets.password}) among the stack's
   * outputs, or null if the stack has none there.
   */
  public static @Nullable String find(Map<String, OutputValue> outputs, String path) {
    int dot = path.indexOf('.');
    OutputValue output = outputs.get(path.substring(0, dot));
    if (output != null && output.value() instanceof Map<?, ?> map) {
      Object value = map.get(path.substring(dot + 1));
      return value instanceof String text ? text : null;
    }
    return null;
  }

  /** Messages name the output and key, never a value: it may be a secret. */
  private static Map<String, String> strings(String output, Object value) {
    if (!(value instanceof Map<?, ?> map)) {
      throw new IllegalArgumentException("stack output " + output + " must be a map of strings");
    }
    Map<String, String> strings = new LinkedHashMap<>();
    map.forEach(
        (key, entry) -> {
          if (!(entry instanceof String text)) {
            throw new IllegalArgumentException(
                "stack output " + output + "." + key + " must be a string");
          }
          strings.put(String.valueOf(key), text);
        });
    return strings;
  }
}
