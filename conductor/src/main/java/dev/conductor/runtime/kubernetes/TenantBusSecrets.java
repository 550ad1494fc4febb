package dev.conductor.runtime.kubernetes;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * One Secret per tenant holding its bus password, which its worker pods mount as a file: created
 * (or updated) before a pod that needs it, deleted once the tenant has no live pod of this
 * conductor (its last worker ended, as when the tenant is offboarded). Starts and deletions of a
 * tenant take turns, so a deletion never takes the Secret from a pod being created.
 */
final class TenantBusSecrets {
  static final String PASSWORD_KEY = "password";

  private final KubernetesClient kubernetes;
  private final String namespace;
  private final String home;
  private final Map<String, Object> turns = new ConcurrentHashMap<>();

  TenantBusSecrets(KubernetesClient kubernetes, String namespace, String home) {
    this.kubernetes = kubernetes;
    this.namespace = namespace;
    this.home = home;
  }

  /** Named by a hash of this home and the tenant: two conductors in a namespace keep theirs. */
  String nameOf(String tenant) {
    return "conductor-bus-" + PodLabels.sha256(home + "\n" + tenant).substring(0, 32);
  }

  /** Runs {@code action} in the tenant's turn. */
  <T> T inTurn(String tenant, Supplier<T> action) {
    synchronized (turns.computeIfAbsent(tenant, t -> new Object())) {
      return action.get();
    }
  }

  /** Writes the password into the tenant's Secret: created if absent, patched if it changed. */
  void write(String tenant, String password) {
    String name = nameOf(tenant);
    String encoded = Base64.getEncoder().encodeToString(password.getBytes(StandardCharsets.UTF_8));
    var secret = kubernetes.secrets().inNamespace(namespace).withName(name);
    Secret existing = secret.get();
    if (existing == null) {
      Map<String, String> raw = Map.of(PodLabels.HOME, home, PodLabels.TENANT, tenant);
      kubernetes
          .secrets()
          .inNamespace(namespace)
          .resource(
              new SecretBuilder()
                  .withNewMetadata()
                  .withName(name)
                  .withLabels(PodLabels.valid(raw))
                  .withAnnotations(raw)
                  .endMetadata()
                  .withType("Opaque")
                  .withData(Map.of(PASSWORD_KEY, encoded))
                  .build())
          .create();
    } else if (existing.getData() == null
        || !encoded.equals(existing.getData().get(PASSWORD_KEY))) {
      secret.edit(
          current -> new SecretBuilder(current).withData(Map.of(PASSWORD_KEY, encoded)).build());
    }
  }

  /** Deletes the tenant's Secret unless a live pod of this conductor still needs it. */
  void removeUnlessUsed(String tenant) {
    inTurn(
        tenant,
        () -> {
          boolean used =
              kubernetes
                  .pods()
                  .inNamespace(namespace)
                  .withLabel(PodLabels.HOME, PodLabels.value(home))
                  .withLabel(PodLabels.TENANT, PodLabels.value(tenant))
                  .list()
                  .getItems()
                  .stream()
                  .anyMatch(pod -> live(pod, tenant));
          if (!used) {
            kubernetes.secrets().inNamespace(namespace).withName(nameOf(tenant)).delete();
          }
          return used;
        });
  }

  private boolean live(Pod pod, String tenant) {
    return PodLabels.ofHome(pod, home)
        && tenant.equals(PodLabels.annotation(pod, PodLabels.TENANT))
        && pod.getMetadata().getDeletionTimestamp() == null
        && PodExit.of(pod).isEmpty();
  }

  /** Deletes every Secret of this conductor's tenants whose pods are all gone, best effort. */
  void removeUnused(Iterable<String> tenants) {
    for (String tenant : tenants) {
      try {
        removeUnlessUsed(tenant);
      } catch (KubernetesClientException e) {
        // The next start or end of one of the tenant's workers tries again.
      }
    }
  }
}
