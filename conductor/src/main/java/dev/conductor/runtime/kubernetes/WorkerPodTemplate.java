package dev.conductor.runtime.kubernetes;

import dev.conductor.runtime.WorkerLaunch;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The pod of one worker, from the template of configuration: {@code restartPolicy: Never}, the
 * image, service account, resources, node selector, tolerations and pull secrets, the worker's
 * environment without its bus password, which is a file of the tenant's Secret mounted read-only.
 * The settings are checked once, so that a quantity Kubernetes would refuse fails the conductor's
 * start rather than every worker's.
 */
final class WorkerPodTemplate {
  static final String CONTAINER = "worker";
  static final String PASSWORD_VARIABLE = "CONDUCTOR_BUS_PASSWORD";
  static final String PASSWORD_FILE_VARIABLE = "CONDUCTOR_BUS_PASSWORD_FILE";
  static final String PASSWORD_DIRECTORY = "/run/secrets/conductor-bus";
  private static final String BUS_URL_VARIABLE = "CONDUCTOR_BUS_URL";
  private static final String SECRET_VOLUME = "conductor-bus";

  private final KubernetesRuntimeSettings settings;
  private final Map<String, String> nodeSelector;
  private final Set<String> locations;
  private final List<Toleration> tolerations;
  private final List<LocalObjectReference> pullSecrets;
  private final Map<String, Quantity> requests;
  private final Map<String, Quantity> limits;

  WorkerPodTemplate(KubernetesRuntimeSettings settings) {
    this.settings = settings;
    this.nodeSelector = nodeSelectorOf(settings.nodeSelector());
    this.locations = locationsOf(settings.locations());
    this.tolerations = tolerationsOf(settings.tolerations());
    this.pullSecrets =
        orEmpty(settings.imagePullSecrets()).stream().map(LocalObjectReference::new).toList();
    this.requests =
        Map.of(
            "cpu", quantity("cpu-request", settings.cpuRequest()),
            "memory", quantity("memory-request", settings.memoryRequest()));
    this.limits =
        Map.of(
            "cpu", quantity("cpu-limit", settings.cpuLimit()),
            "memory", quantity("memory-limit", settings.memoryLimit()));
  }

  Set<String> locations() {
    return locations;
  }

  String image() {
    return settings.image();
  }

  /** The worker's pod; {@code secret} names the tenant's bus Secret when it has a password. */
  Pod podOf(
      String name, String namespace, String home, WorkerLaunch launch, @Nullable String secret) {
    Map<String, String> raw = PodLabels.of(home, launch);
    var container =
        new PodBuilder()
            .withNewMetadata()
            .withName(name)
            .withNamespace(namespace)
            .withLabels(PodLabels.valid(raw))
            .withAnnotations(raw)
            .endMetadata()
            .withNewSpec()
            .withRestartPolicy("Never")
            .withTerminationGracePeriodSeconds(settings.gracePeriod().toSeconds())
            .withServiceAccountName(settings.serviceAccount())
            // The worker talks to the bus only, never to the API server.
            .withAutomountServiceAccountToken(false)
            .withNodeSelector(nodeSelectorOf(launch))
            .withTolerations(tolerations)
            .withImagePullSecrets(pullSecrets)
            .addNewContainer()
            .withName(CONTAINER)
            .withImage(imageOf(launch))
            .withImagePullPolicy(settings.imagePullPolicy())
            .withCommand(launch.command().isEmpty() ? null : launch.command())
            .withEnv(environmentOf(launch, secret != null))
            .withNewResources()
            .withRequests(planned(requests, launch))
            .withLimits(planned(limits, launch))
            .endResources();
    if (secret != null) {
      container
          .addNewVolumeMount()
          .withName(SECRET_VOLUME)
          .withMountPath(PASSWORD_DIRECTORY)
          .withReadOnly(true)
          .endVolumeMount();
    }
    var spec = container.endContainer();
    if (secret != null) {
      spec.addNewVolume()
          .withName(SECRET_VOLUME)
          .withNewSecret()
          .withSecretName(secret)
          .withDefaultMode(0444)
          .addNewItem()
          .withKey(TenantBusSecrets.PASSWORD_KEY)
          .withPath(TenantBusSecrets.PASSWORD_KEY)
          .endItem()
          .endSecret()
          .endVolume();
    }
    return spec.endSpec().build();
  }

  /** The plan's image where it names one, else this runtime's. */
  private String imageOf(WorkerLaunch launch) {
    String planned = launch.image();
    return planned == null || planned.isBlank() ? settings.image() : planned;
  }

  /** The plan's CPU and memory, where it names them, as both request and limit. */
  private static Map<String, Quantity> planned(
      Map<String, Quantity> configured, WorkerLaunch launch) {
    Map<String, Quantity> resources = new java.util.HashMap<>(configured);
    Double cpus = launch.limits().cpus();
    Long memory = launch.limits().memoryBytes();
    if (cpus != null) {
      resources.put("cpu", new Quantity(java.math.BigDecimal.valueOf(cpus).toPlainString()));
    }
    if (memory != null) {
      resources.put("memory", new Quantity(Long.toString(memory)));
    }
    return resources;
  }

  /** The launch's environment, its password replaced by the file's path and the pods' bus URL. */
  private List<EnvVar> environmentOf(WorkerLaunch launch, boolean passwordFile) {
    Map<String, String> environment = new TreeMap<>(launch.environment());
    environment.remove(PASSWORD_VARIABLE);
    if (passwordFile) {
      environment.put(
          PASSWORD_FILE_VARIABLE, PASSWORD_DIRECTORY + "/" + TenantBusSecrets.PASSWORD_KEY);
    }
    String busUrl = environment.get(BUS_URL_VARIABLE);
    String podsBusUrl = settings.busUrl();
    if (podsBusUrl != null && !podsBusUrl.isBlank() && busUrl != null) {
      environment.put(BUS_URL_VARIABLE, podsBusUrl);
    } else if (busUrl != null && onLoopback(busUrl)) {
      throw new IllegalStateException(
          "worker pods cannot reach the bus at "
              + busUrl
              + " (the conductor's loopback): set conductor.runtime.kubernetes.bus-url to a broker"
              + " address reachable from the cluster");
    }
    List<EnvVar> env = new ArrayList<>();
    environment.forEach((variable, value) -> env.add(new EnvVar(variable, value, null)));
    return env;
  }

  private static boolean onLoopback(String url) {
    return url.contains("://localhost") || url.contains("://127.") || url.contains("://[::1]");
  }

  private static Quantity quantity(String setting, String value) {
    Quantity quantity = new Quantity(value);
    try {
      Quantity.getAmountInBytes(quantity);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "conductor.runtime.kubernetes." + setting + " '" + value + "' is not a quantity");
    }
    return quantity;
  }

  /** The template's node selector, plus the node label of the worker's location if it has one. */
  private @Nullable Map<String, String> nodeSelectorOf(WorkerLaunch launch) {
    if (launch.location().isEmpty()) {
      return nodeSelector.isEmpty() ? null : nodeSelector;
    }
    if (!locations.contains(launch.location())) {
      throw new IllegalStateException(
          "the kubernetes runtime serves no location '"
              + launch.location()
              + "' (conductor.runtime.kubernetes.locations)");
    }
    Map<String, String> selector = new LinkedHashMap<>(nodeSelector);
    selector.put(settings.locationLabel(), launch.location());
    return selector;
  }

  /** A location is a node label's value: one that could never be one is refused at start. */
  private static Set<String> locationsOf(@Nullable List<String> names) {
    Set<String> parsed = new TreeSet<>();
    for (String name : orEmpty(names)) {
      if (name.isEmpty() || !PodLabels.isValue(name)) {
        throw new IllegalArgumentException(
            "conductor.runtime.kubernetes.locations entry '"
                + name
                + "' is not a node label value (63 letters, digits and -_. at most)");
      }
      parsed.add(name);
    }
    return Set.copyOf(parsed);
  }

  private static Map<String, String> nodeSelectorOf(@Nullable List<String> entries) {
    Map<String, String> selector = new LinkedHashMap<>();
    for (String entry : orEmpty(entries)) {
      int equals = entry.indexOf('=');
      if (equals <= 0) {
        throw new IllegalArgumentException(
            "conductor.runtime.kubernetes.node-selector entry '" + entry + "' is not key=value");
      }
      selector.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
    }
    return selector;
  }

  /** {@code key[=value]:effect}, as kubectl taint writes a taint; without a value, Exists. */
  private static List<Toleration> tolerationsOf(@Nullable List<String> entries) {
    List<Toleration> parsed = new ArrayList<>();
    for (String entry : orEmpty(entries)) {
      int colon = entry.lastIndexOf(':');
      if (colon <= 0 || colon == entry.length() - 1) {
        throw new IllegalArgumentException(
            "conductor.runtime.kubernetes.tolerations entry '"
                + entry
                + "' is not key[=value]:effect");
      }
      String taint = entry.substring(0, colon);
      int equals = taint.indexOf('=');
      Toleration toleration = new Toleration();
      toleration.setEffect(entry.substring(colon + 1).strip());
      if (equals < 0) {
        toleration.setKey(taint.strip());
        toleration.setOperator("Exists");
      } else {
        toleration.setKey(taint.substring(0, equals).strip());
        toleration.setOperator("Equal");
        toleration.setValue(taint.substring(equals + 1).strip());
      }
      parsed.add(toleration);
    }
    return parsed;
  }

  private static List<String> orEmpty(@Nullable List<String> list) {
    return list == null ? List.of() : list;
  }
}
