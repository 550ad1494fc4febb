package dev.conductor.runtime.kubernetes;

import dev.conductor.runtime.DockerWorkerRuntime;
import dev.conductor.runtime.WorkerLaunch;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.micronaut.core.annotation.Nullable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * How a worker pod is found: the docker runtime's labels (home, worker, tenant, affinity key,
 * generation, location if it has one). A label value is short and plain, so a value that is not one
 * (the home is a path) is hashed on the label and kept raw in the annotation of the same name,
 * which decides ownership.
 */
final class PodLabels {
  static final String HOME = DockerWorkerRuntime.HOME_LABEL;
  static final String WORKER = DockerWorkerRuntime.WORKER_LABEL;
  static final String TENANT = DockerWorkerRuntime.TENANT_LABEL;
  static final String AFFINITY_KEY = DockerWorkerRuntime.AFFINITY_KEY_LABEL;
  static final String GENERATION = DockerWorkerRuntime.GENERATION_LABEL;
  static final String LOCATION = DockerWorkerRuntime.LOCATION_LABEL;

  // A valid label value: at most 63 characters, alphanumerics with -_. inside.
  private static final Pattern LABEL_VALUE =
      Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?");

  private PodLabels() {}

  /** The raw values of a worker's pod: its annotations, and its labels once made valid. */
  static Map<String, String> of(String home, WorkerLaunch launch) {
    Map<String, String> raw = new LinkedHashMap<>();
    raw.put(HOME, home);
    raw.put(WORKER, launch.workerId().toString());
    raw.put(TENANT, launch.tenant());
    raw.put(AFFINITY_KEY, launch.affinityKey());
    raw.put(GENERATION, Long.toString(launch.generation()));
    if (!launch.location().isEmpty()) {
      raw.put(LOCATION, launch.location());
    }
    return raw;
  }

  static Map<String, String> valid(Map<String, String> raw) {
    Map<String, String> labels = new LinkedHashMap<>();
    raw.forEach((key, value) -> labels.put(key, value(value)));
    return labels;
  }

  /**
   * The value itself when it is a valid label value, else the first 32 hex digits of its SHA-256.
   */
  static boolean isValue(String raw) {
    return LABEL_VALUE.matcher(raw).matches();
  }

  static String value(String raw) {
    return LABEL_VALUE.matcher(raw).matches() ? raw : sha256(raw).substring(0, 32);
  }

  static boolean ofHome(HasMetadata object, String home) {
    return home.equals(annotation(object, HOME));
  }

  static @Nullable String annotation(HasMetadata object, String key) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? null : annotations.get(key);
  }

  static Optional<UUID> workerId(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    String id = labels == null ? null : labels.get(WORKER);
    if (id == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(UUID.fromString(id));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  static String sha256(String value) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
